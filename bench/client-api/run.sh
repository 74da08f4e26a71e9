#!/usr/bin/env bash
# The Unleash client API, Switchboard vs the open-source Unleash server 8.2.0, side by side in one run.
# Usage: bench/client-api/run.sh   (from anywhere; needs java, node/npm, psql, wrk: apt-get install wrk)
#   DUR=10s      length of each measured wrk run
#   ROUNDS=3     rounds per phase; in each round every (path, server) pair runs once, servers alternated
#   CONNS=4      wrk connections (2 threads)
#   SB_XMX=256m  the control plane's heap (the documented default)
# Both servers get their own database on one private PostgreSQL (the demo's embedded binaries, data under
# target/); Unleash is installed from the npm registry into target/unleash-oss. Phase 1 serves 1 flag, phase 2
# the same servers after 99 more flags (100 in all), each flag a 50 % rollout, enabled. Paths: a full poll (200) and
# a poll with the current ETag in If-None-Match (304). CPU per request comes from /proc (utime+stime of the server
# process, and of the PostgreSQL server processes) over each run. ~6 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DUR=${DUR:-10s}; ROUNDS=${ROUNDS:-3}; CONNS=${CONNS:-4}; SB_XMX=${SB_XMX:-256m}
UNLEASH_VERSION=8.2.0
WORK=$ROOT/target/bench-client-api
UNLEASH_HOME=$ROOT/target/unleash-oss
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
log() { echo "[client-api] $*"; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

[ -f control-plane/target/control-plane.jar ] && [ -f demo/target/switchboard-demo.jar ] \
  || mvn -B -q -pl control-plane,demo -am -DskipTests package
if [ "$(node -p "try{require('$UNLEASH_HOME/node_modules/unleash-server/package.json').version}catch(e){''}")" != "$UNLEASH_VERSION" ]; then
  log "installing unleash-server@$UNLEASH_VERSION from the npm registry into $UNLEASH_HOME"
  mkdir -p "$UNLEASH_HOME"
  (cd "$UNLEASH_HOME" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --loglevel=error "unleash-server@$UNLEASH_VERSION" >/dev/null)
fi

rm -rf "$WORK"; mkdir -p "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

log "starting a private PostgreSQL (data under $WORK/postgres)"
java -Xmx192m -jar demo/target/switchboard-demo.jar postgres --data-dir "$WORK/postgres" --server-file "$WORK/postgres.server" \
  > "$WORK/postgres.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do [ -f "$WORK/postgres.server" ] && break; sleep 0.5; done
[ -f "$WORK/postgres.server" ] || { tail "$WORK/postgres.log"; exit 1; }
PG_HOST=$(sed -n 's/^host=//p' "$WORK/postgres.server"); PG_PORT=$(sed -n 's/^port=//p' "$WORK/postgres.server")
PG_USER=$(sed -n 's/^user=//p' "$WORK/postgres.server"); PG_PASSWORD=$(sed -n 's/^password=//p' "$WORK/postgres.server")
PG_URL="postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT"
for db in switchboard_bench unleash_bench; do psql -q "$PG_URL/postgres" -c "CREATE DATABASE $db" >/dev/null; done
PG_MASTER=$(head -1 "$(find "$WORK/postgres" -name postmaster.pid | head -1)")

SB_PORT=$(free_port); UN_PORT=$(free_port)
ADMIN=bench-admin-token; CLIENT=bench-client-token
UN_ADMIN='*:*.bench-unleash-admin'; UN_CLIENT='default:development.bench-unleash-client'

# Unleash limits SDK API calls to 20,000 a minute per default and answers 429 beyond; both limits are lifted so that
# every answer it gives is a real one (the run checks every status)
log "starting Unleash $UNLEASH_VERSION on :$UN_PORT"
UNLEASH_HOME=$UNLEASH_HOME DATABASE_URL="$PG_URL/unleash_bench" HTTP_PORT=$UN_PORT \
INIT_ADMIN_API_TOKENS=$UN_ADMIN INIT_BACKEND_API_TOKENS=$UN_CLIENT NODE_ENV=production \
SDK_API_RATE_LIMIT_PER_MINUTE=1000000000 TOKEN_AUTHENTICATION_RATE_LIMIT_PER_MINUTE=1000000000 \
  node bench/client-api/unleash.js > "$WORK/unleash.log" 2>&1 &
UN_PID=$!; PIDS+=($UN_PID)
log "starting Switchboard (-Xmx$SB_XMX) on :$SB_PORT"
SERVER_PORT=$SB_PORT SPRING_R2DBC_URL=r2dbc:postgresql://$PG_HOST:$PG_PORT/switchboard_bench \
SPRING_R2DBC_USERNAME=$PG_USER SPRING_R2DBC_PASSWORD=$PG_PASSWORD \
SPRING_FLYWAY_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/switchboard_bench \
SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$ADMIN SWITCHBOARD_CLIENT_TOKEN=$CLIENT SWITCHBOARD_LOG_FORMAT= \
  java $(grep -v '^#' control-plane/jvm-options) -Xmx"$SB_XMX" -jar control-plane/target/control-plane.jar \
  > "$WORK/switchboard.log" 2>&1 &
SB_PID=$!; PIDS+=($SB_PID)
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$SB_PORT/actuator/health/readiness" >/dev/null && curl -sf "http://127.0.0.1:$UN_PORT/health" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$SB_PORT/actuator/health/readiness" >/dev/null || { tail -30 "$WORK/switchboard.log"; exit 1; }
curl -sf "http://127.0.0.1:$UN_PORT/health" >/dev/null || { tail -30 "$WORK/unleash.log"; exit 1; }

sb() { curl -sf -o /dev/null -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' "$@"; }
un() { curl -sf -o /dev/null -H "Authorization: $UN_ADMIN" -H 'Content-Type: application/json' "$@"; }
create_flags() { # from to
  for i in $(seq "$1" "$2"); do
    local f; f=$(printf 'bench_flag_%03d' "$i")
    sb -X POST "http://127.0.0.1:$SB_PORT/api/v1/flags" -d "{\"name\":\"$f\",\"description\":\"benchmark\"}"
    sb -X POST "http://127.0.0.1:$SB_PORT/api/v1/flags/$f/enable" -d '{"reason":"benchmark"}'
    sb -X PUT "http://127.0.0.1:$SB_PORT/api/v1/flags/$f/percentage" -d '{"percentage":50,"reason":"benchmark"}'
    un -X POST "http://127.0.0.1:$UN_PORT/api/admin/projects/default/features" -d "{\"name\":\"$f\"}"
    un -X POST "http://127.0.0.1:$UN_PORT/api/admin/projects/default/features/$f/environments/development/strategies" \
      -d "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"50\",\"stickiness\":\"tenantId\",\"groupId\":\"$f\"},\"constraints\":[]}"
    un -X POST "http://127.0.0.1:$UN_PORT/api/admin/projects/default/features/$f/environments/development/on"
  done
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# PostgreSQL: per server process, so that a backend ending during a run (a pool closing an idle connection) is left
# out instead of making the sum go down
pg_snapshot() { local p; for p in $PG_MASTER $(ps -o pid= --ppid "$PG_MASTER"); do echo "$p $(ticks "$p" 2>/dev/null || echo gone)"; done | grep -v ' gone$' || true; }
pg_delta() { awk 'NR==FNR {a[$1]=$2; next} ($1 in a) {d += $2 - a[$1]} END {print d + 0}' <(echo "$1") <(echo "$2"); }
HZ=$(getconf CLK_TCK)
url_of() { [ "$1" = switchboard ] && echo "http://127.0.0.1:$SB_PORT/api/client/features" || echo "http://127.0.0.1:$UN_PORT/api/client/features"; }
token_of() { [ "$1" = switchboard ] && echo "$CLIENT" || echo "$UN_CLIENT"; }
pid_of() { [ "$1" = switchboard ] && echo "$SB_PID" || echo "$UN_PID"; }
etag_of() { curl -sf -D - -o /dev/null -H "Authorization: $(token_of "$1")" "$(url_of "$1")" | tr -d '\r' | awk 'tolower($1)=="etag:" {print $2}'; }
features_of() { curl -sf -H "Authorization: $(token_of "$1")" "$(url_of "$1")" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))'; }

# one wrk run: prints "req/s server-CPU-ms/req postgres-CPU-ms/req"
measure() { # server path(200|304) duration
  local server=$1 path=$2 d=$3 headers=(-H "Authorization: $(token_of "$1")") pid t0 p0 out rps reqs t1 p1
  [ "$path" = 304 ] && headers+=(-H "If-None-Match: $(etag_of "$server")")
  pid=$(pid_of "$server"); t0=$(ticks "$pid"); p0=$(pg_snapshot)
  out=$(wrk -t2 -c"$CONNS" -d"$d" -s bench/client-api/statuses.lua "${headers[@]}" "$(url_of "$server")")
  t1=$(ticks "$pid"); p1=$(pg_snapshot)
  # every answer must be the path's own status; anything else is printed with the run
  if ! echo "$out" | grep -qx "statuses: $path=[0-9]*"; then echo "   $server $path: $(echo "$out" | grep statuses)" >&2; fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  awk -v r="$rps" -v n="$reqs" -v t=$((t1 - t0)) -v p="$(pg_delta "$p0" "$p1")" -v hz="$HZ" \
    'BEGIN {printf "%.0f %.3f %.3f\n", r, t * 1000 / hz / n, p * 1000 / hz / n}'
}
check_304() { # the 304 path really answers 304
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $(token_of "$1")" -H "If-None-Match: $(etag_of "$1")" "$(url_of "$1")")
  [ "$code" = 304 ] || { echo "$1 answers $code, not 304, to its own ETag" >&2; exit 1; }
}

echo "[client-api] machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(java -version 2>&1 | head -1); node $(node --version); wrk -t2 -c$CONNS, $DUR per run, $ROUNDS rounds"
summary=()
for phase in 1 100; do
  if [ "$phase" = 1 ]; then create_flags 0 0; else create_flags 1 99; fi
  for s in switchboard unleash; do
    n=$(features_of "$s"); [ "$n" = "$phase" ] || { echo "$s serves $n features, expected $phase" >&2; exit 1; }
    check_304 "$s"
  done
  log "== $phase flag(s): warm-up (5 s per server and path)"
  for s in switchboard unleash; do for p in 200 304; do measure "$s" "$p" 5s >/dev/null; done; done
  declare -A total=()
  for round in $(seq 1 "$ROUNDS"); do
    order=(switchboard unleash); [ $((round % 2)) = 0 ] && order=(unleash switchboard)
    for p in 200 304; do for s in "${order[@]}"; do
      read -r rps cpu pg < <(measure "$s" "$p" "$DUR")
      printf '[client-api] %3s flag(s) %s round %d %-11s %6s req/s  server CPU %.3f ms/req  PostgreSQL CPU %.3f ms/req  (load %s)\n' \
        "$phase" "$p" "$round" "$s" "$rps" "$cpu" "$pg" "$(cut -d' ' -f1 /proc/loadavg)"
      total[$s-$p]="${total[$s-$p]:-} $rps/$cpu"
    done; done
  done
  for p in 200 304; do
    line=$(python3 - "${total[switchboard-$p]}" "${total[unleash-$p]}" <<'PY'
import sys, statistics
def parse(s): return [tuple(map(float, x.split('/'))) for x in s.split()]
sb, un = parse(sys.argv[1]), parse(sys.argv[2])
rs = sorted(a[0] / b[0] for a, b in zip(sb, un))
print("switchboard %s req/s (median %.0f, CPU %.3f ms/req) vs unleash %s req/s (median %.0f, CPU %.3f ms/req): ratio per round %s, median %.2f" % (
  "/".join("%.0f" % a[0] for a in sb), statistics.median(a[0] for a in sb), statistics.median(a[1] for a in sb),
  "/".join("%.0f" % b[0] for b in un), statistics.median(b[0] for b in un), statistics.median(b[1] for b in un),
  "/".join("%.2f" % r for r in rs), statistics.median(rs)))
PY
)
    summary+=("$phase flag(s), $p: $line")
  done
  unset total
done
echo "[client-api] ===== summary"
printf '[client-api] %s\n' "${summary[@]}"
echo "[client-api] switchboard RSS after the run: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$SB_PID/status); unleash: $(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$UN_PID/status)"
