#!/usr/bin/env bash
# Rollback propagation benchmark: two routers under steady traffic, total rollback through the admin API, time from
# the API's answer until each router's last v2 decision; 20 trials in streaming mode, then 20 in polling mode (1 s).
# Usage: bench/propagation/run.sh   (from anywhere; TRIALS, WINDOW_MS, POLL_WINDOW_MS, PERIOD_US, MODES, PROBE_WARMUP_MS override)
# Everything runs on 127.0.0.1 on free ports; everything started here is stopped on exit (trap).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TRIALS=${TRIALS:-20}
WINDOW_MS=${WINDOW_MS:-2000}          # probing after t0, streaming
POLL_WINDOW_MS=${POLL_WINDOW_MS:-3000} # probing after t0, polling (1 s poll interval: leave room for one full period)
PERIOD_US=${PERIOD_US:-5000}          # one request every 5 ms per router (200/s each)
MODES=${MODES:-"STREAMING POLLING"}
FLAG=voice_agent_v2
ADMIN_TOKEN=bench-admin-token
CLIENT_TOKEN=bench-client-token
DB=switchboard_bench_propagation
CP_JAR=control-plane/target/control-plane.jar
ROUTER_JAR=agent-router/target/agent-router.jar
WORK=$(mktemp -d /tmp/switchboard-propagation.XXXXXX)
PIDS=()

log() { printf '[propagation] %s\n' "$*"; }
stop_pid() { kill -TERM "$1" 2>/dev/null || return 0; for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done; kill -KILL "$1" 2>/dev/null || true; }
cleanup() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  if [ "${KEEP_LOGS:-0}" = 1 ]; then log "stopped everything this run started (logs kept in $WORK)"
  else log "stopped everything this run started (logs were in $WORK, removed)"; rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # name url pid
  for _ in $(seq 1 180); do
    curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { tail -n 40 "$WORK/$1.log" >&2; log "$1 exited during start-up"; exit 1; }
    sleep 1
  done
  tail -n 40 "$WORK/$1.log" >&2; log "$1 not ready at $2 after 180 s"; exit 1
}
api() { # METHOD PATH JSON
  curl -fsS -X "$1" "http://127.0.0.1:$CP_PORT$2" -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$3" >/dev/null
}

if [ ! -f "$CP_JAR" ] || [ ! -f "$ROUTER_JAR" ]; then
  log "building jars (mvn -q -DskipTests package -pl control-plane,agent-router -am) ..."
  mvn -B -q -ntp -DskipTests package -pl control-plane,agent-router -am
fi
bash bin/ensure-postgres
psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $DB with (force)" >/dev/null 2>&1
psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $DB" >/dev/null

CP_PORT=$(free_port); V1_PORT=$(free_port); V2_PORT=$(free_port)
log "machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/')"

# guard off: under bench load it may roll the flag back by itself (seen: slow answers on an overloaded machine)
SERVER_PORT=$CP_PORT SPRING_R2DBC_URL=r2dbc:postgresql://127.0.0.1:5432/$DB SPRING_FLYWAY_URL=jdbc:postgresql://127.0.0.1:5432/$DB \
SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN SWITCHBOARD_CLIENT_TOKEN=$CLIENT_TOKEN SWITCHBOARD_LOG_FORMAT= \
  java -Xmx512m -jar "$CP_JAR" --switchboard.guard.enabled=false >"$WORK/control-plane.log" 2>&1 &
CP_PID=$!; PIDS+=($CP_PID)
wait_http control-plane "http://127.0.0.1:$CP_PORT/actuator/health/readiness" "$CP_PID"
api POST /api/v1/flags "{\"name\":\"$FLAG\",\"description\":\"propagation bench\"}"
api POST "/api/v1/flags/$FLAG/enable" '{"reason":"bench: start"}'
api PUT "/api/v1/flags/$FLAG/percentage" '{"percentage":100,"reason":"bench: start"}'
log "flag $FLAG enabled at 100 %"

start_routers() { # mode
  ROUTER_PIDS=(); ROUTER_URLS=()
  local i port
  for i in 1 2; do
    port=$(free_port)
    SERVER_PORT=$port SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:$CP_PORT SWITCHBOARD_CLIENT_TOKEN=$CLIENT_TOKEN \
    SWITCHBOARD_V1_URL=http://127.0.0.1:$V1_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$V2_PORT SWITCHBOARD_PUBLIC_URL=http://127.0.0.1:$port \
    SWITCHBOARD_UNLEASH_BACKUP_FILE=$WORK/router-$i-$1-unleash.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$WORK/router-$i-$1-identifiers.json \
      java -Xmx384m $(grep -v '^#' agent-router/jvm-options) -jar "$ROUTER_JAR" \
        --switchboard.router.router-id=bench-router-$i --switchboard.router.flag-name=$FLAG \
        --switchboard.router.signatures.generic.verify=false \
        --switchboard.router.unleash.mode="$1" --switchboard.router.unleash.poll-interval=1s \
        --logging.level.io.getunleash=WARN >"$WORK/router-$i-$1.log" 2>&1 &
    ROUTER_PIDS+=($!); PIDS+=($!); ROUTER_URLS+=("http://127.0.0.1:$port")
  done
  for i in 0 1; do wait_http "router-$((i + 1))-$1" "${ROUTER_URLS[$i]}/actuator/health/readiness" "${ROUTER_PIDS[$i]}"; done
}
stop_routers() { local p; for p in "${ROUTER_PIDS[@]}"; do stop_pid "$p"; done; }

for mode in $MODES; do
  window=$WINDOW_MS; [ "$mode" = POLLING ] && window=$POLL_WINDOW_MS
  start_routers "$mode"
  log "$mode: routers ${ROUTER_URLS[*]}; $(uptime | sed 's/.*load average/load average/')"
  java bench/propagation/Probe.java "http://127.0.0.1:$CP_PORT" "$ADMIN_TOKEN" "$FLAG" "$TRIALS" "$window" "$PERIOD_US" \
    "$mode" "$V1_PORT" "$V2_PORT" "${ROUTER_URLS[@]}"
  log "$mode done; $(uptime | sed 's/.*load average/load average/')"
  grep -hiE "ERROR|Exception" "$WORK"/router-*-"$mode".log | sort | uniq -c | sort -rn | head -5 || true
  stop_routers
done
