#!/usr/bin/env bash
# Start-up of `bin/switchboard status` against a local control plane (docs/benchmarks-cli.md).
# Needs: control-plane/target/control-plane.jar and cli/target/switchboard.jar
#        (mvn -B -pl cli,demo -am -DskipTests package), hyperfine (apt install hyperfine), psql. PostgreSQL: a private one
#        (bench/lib/postgres.sh), or the server of SWITCHBOARD_DATABASE_URL.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib/postgres.sh
work=$(mktemp -d /tmp/switchboard-bench-cli.XXXXXX)
bench_postgres_start "$work/postgres"
db=sb_bench_cli_$$
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token=bench-admin-token
bench_db_create "$db"
cleanup() {
  [ -n "${cp_pid:-}" ] && kill "$cp_pid" 2>/dev/null && wait "$cp_pid" 2>/dev/null || true
  bench_db_drop "$db"; bench_postgres_stop; rm -rf "$work"
}
trap cleanup EXIT
SERVER_PORT=$port SPRING_R2DBC_URL=$(bench_r2dbc_url "$db") \
  SPRING_FLYWAY_URL=$(bench_jdbc_url "$db") SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$token \
  java -jar control-plane/target/control-plane.jar >/tmp/sb-bench-cp.log 2>&1 &
cp_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"voice_agent_v2","description":"bench"}' "http://127.0.0.1:$port/api/v1/flags" >/dev/null
export SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:$port SWITCHBOARD_TOKEN=$token
export XDG_CACHE_HOME=$(mktemp -d)
bin/switchboard status >/dev/null   # first run: the training run writes the class-data archive
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)"
echo "jar: $(stat -c %s cli/target/switchboard.jar) bytes, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (uncommitted changes)')"
hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-markdown /tmp/sb-bench-cli.md --export-json /tmp/sb-bench-cli.json \
  -n 'bin/switchboard status (AppCDS)' 'bin/switchboard status' \
  -n 'bin/switchboard status (SWITCHBOARD_CDS=off)' 'env SWITCHBOARD_CDS=off bin/switchboard status' \
  -n 'java -jar switchboard.jar status (no tuning)' 'java -jar cli/target/switchboard.jar status'
cat /tmp/sb-bench-cli.md
python3 -c 'import json; [print("median %.0f ms  user %.0f ms  sys %.0f ms  %s" % (r["median"]*1000, r["user"]*1000, r["system"]*1000, r["command"])) for r in json.load(open("/tmp/sb-bench-cli.json"))["results"]]'
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
# once per jar build and JDK: the training run that writes the archive, then the command
hyperfine -N --runs 3 --prepare "rm -rf $XDG_CACHE_HOME/switchboard" \
  -n 'first run after a build (archive training + status)' 'bin/switchboard status' | grep -E 'Time|User|Range'
rm -rf "$XDG_CACHE_HOME"
