#!/usr/bin/env bash
# Detection-time benchmark: starts the control plane (guard interval 5 s, K=3) on a fresh database and runs
# DetectionBench against it. Usage (from the repository root, after `mvn -B -q -pl control-plane -am verify`):
#   bench/guard/detection.sh [trials]
# CONTROL_PLANE_JAR=/path/to/a/copy.jar runs a copy, so that a build during the run cannot replace the jar.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/postgres.sh
WORK=$(mktemp -d /tmp/switchboard-bench-guard.XXXXXX)
bench_postgres_start "$WORK/postgres"
TRIALS="${1:-10}"
DB="sb_bench_guard_$$"
PORT="$((18000 + RANDOM % 1000))"
bench_db_create "$DB"
SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=bench-admin SWITCHBOARD_CLIENT_TOKEN=bench-client SERVER_PORT="$PORT" \
  SPRING_R2DBC_URL="$(bench_r2dbc_url "$DB")" SPRING_FLYWAY_URL="$(bench_jdbc_url "$DB")" \
  SWITCHBOARD_LOG_FORMAT= java -jar "${CONTROL_PLANE_JAR:-control-plane/target/control-plane.jar}" > "/tmp/$DB.log" 2>&1 &
CP=$!
cleanup() { kill "$CP" 2>/dev/null || true; wait "$CP" 2>/dev/null || true; bench_db_drop "$DB"; bench_postgres_stop; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null && break
  sleep 1
done
java bench/guard/DetectionBench.java "http://127.0.0.1:$PORT" "$TRIALS"
