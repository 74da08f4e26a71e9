#!/usr/bin/env bash
# Detection-time benchmark: starts the control plane (guard interval 5 s, K=3) on a fresh database and runs
# DetectionBench against it. Usage (from the repository root, after `mvn -B -q -pl control-plane -am verify`):
#   bench/guard/detection.sh [trials]
# CONTROL_PLANE_JAR=/path/to/a/copy.jar runs a copy, so that a build during the run cannot replace the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${1:-10}"
DB="sb_bench_guard_$$"
PORT="$((18000 + RANDOM % 1000))"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $DB"
SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=bench-admin SWITCHBOARD_CLIENT_TOKEN=bench-client SERVER_PORT="$PORT" \
  SPRING_R2DBC_URL="r2dbc:postgresql://127.0.0.1:5432/$DB" SPRING_FLYWAY_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
  SWITCHBOARD_LOG_FORMAT= java -jar "${CONTROL_PLANE_JAR:-control-plane/target/control-plane.jar}" > "/tmp/$DB.log" 2>&1 &
CP=$!
cleanup() { kill "$CP" 2>/dev/null || true; wait "$CP" 2>/dev/null || true; psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" || true; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null && break
  sleep 1
done
java bench/guard/DetectionBench.java "http://127.0.0.1:$PORT" "$TRIALS"
