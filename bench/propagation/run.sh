#!/usr/bin/env bash
# Propagation benchmark: N routers under steady traffic; trials alternate a total rollback and a percentage change
# (100 -> 50) through the admin API; the figure is the time from the API's answer until the LAST router's first
# decision on the new revision, from each router's own timeline (stream event received, engine updated, first
# decision) as it confirmed it to the control plane. One run measures every router count in ROUTER_COUNTS
# (default: the 2-router baseline, then 10 routers), each with its own fresh routers, same control plane.
# Usage: bench/propagation/run.sh   (from anywhere; TRIALS (per kind), WINDOW_MS, PERIOD_US, ROUTER_COUNTS, MODES, PROBE_TENANTS,
#        ROUTER_HEAP, ROUTER_JIT, ROUTER_JVM_OPTS (more router JVM options, last), PROBE_WARMUP_MS, PROBE_JVM_OPTS, ROUTER_PROCESS,
#        ROUTER_YOUNG, ROUTER_BASE_OPTS (instead of agent-router/jvm-options), ROUTER_JAVA, CP_JVM_OPTS, PROBE_CONNECTIONS, PROBE_WARMUP_TRIALS override)
# ROUTER_PROCESS=separate (default): one JVM per router, as deployed. ROUTER_PROCESS=shared: the routers of a count in
# one JVM (bench/propagation/SharedJvmRouters.java), each its own application context with its own port, stream, SDK,
# state and identity; they share the JIT's code, the collector and the event loops. ROUTER_HEAP and ROUTER_YOUNG are
# then per router: the shared JVM gets N times each, so that each router's garbage still fills a young generation of
# its own size and a collection (which pauses all N at once) comes as seldom as in a JVM of its own. Left to G1's
# 5 ms goal, ten routers' garbage went through a 20 MB eden every 0.7 s, pausing all ten for 10-45 ms each time.
# The shared JVM's heap is committed and touched at start (-Xms = -Xmx, AlwaysPreTouch): otherwise, for the first
# minutes, G1 grows the heap by preventive mixed collections and each young pause also takes the page faults of the
# old regions it promotes into for the first time (system time in the pause), which a router running for days no
# longer pays.
# Everything runs on 127.0.0.1 on free ports; everything started here is stopped on exit (trap). After each router
# count: the CPU seconds the control plane, the routers, PostgreSQL and the probe used, and the whole machine's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
. bench/lib/postgres.sh
TRIALS=${TRIALS:-30}                  # per kind of change: TRIALS total rollbacks and TRIALS percentage changes
WINDOW_MS=${WINDOW_MS:-600}           # probing after t0, streaming
POLL_WINDOW_MS=${POLL_WINDOW_MS:-2500} # probing after t0, polling (1 s poll interval: leave room for one full period)
PERIOD_US=${PERIOD_US:-5000}          # one request every 5 ms per router (200/s each)
MODES=${MODES:-STREAMING}
ROUTER_COUNTS=${ROUTER_COUNTS:-"2 10"}
ROUTER_HEAP=${ROUTER_HEAP:-96m}
ROUTER_PROCESS=${ROUTER_PROCESS:-separate}
ROUTER_YOUNG=${ROUTER_YOUNG-20m}        # shared mode only, per router ("" leaves the young generation to the collector)
ROUTER_BASE_OPTS=${ROUTER_BASE_OPTS-$(grep -v '^#' agent-router/jvm-options)}   # the routers' own JVM options
if [ "$ROUTER_PROCESS" = shared ]; then ROUTER_JIT=${ROUTER_JIT-}   # one JVM: C1 and C2 as usual
else ROUTER_JIT=${ROUTER_JIT--XX:TieredStopAtLevel=1}; fi            # C1 only: ten JVMs on two cores
FLAG=voice_agent_v2
ADMIN_TOKEN=bench-admin-token
CLIENT_TOKEN=bench-client-token
ROUTER_TOKENS=$(for i in $(seq 1 20); do printf 'bench-router-%d:bench-router-secret-%02d,' "$i" "$i"; done | sed 's/,$//')
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
  bench_db_drop "$DB"; bench_postgres_stop
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
  mvn -B -q -ntp -DskipTests package -pl control-plane,agent-router,demo -am
fi
bench_postgres_start "$WORK/postgres"
bench_db_create "$DB"

CP_PORT=$(free_port); V1_PORT=$(free_port); V2_PORT=$(free_port)
log "machine: $(nproc) cores; $(uptime | sed 's/.*load average/load average/')"

# guard off: under bench load it may roll the flag back by itself (seen: slow answers on an overloaded machine)
SERVER_PORT=$CP_PORT SPRING_R2DBC_URL=$(bench_r2dbc_url $DB) SPRING_FLYWAY_URL=$(bench_jdbc_url $DB) \
SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN=$ADMIN_TOKEN SWITCHBOARD_CLIENT_TOKEN=$CLIENT_TOKEN SWITCHBOARD_ROUTER_TOKEN=$ROUTER_TOKENS SWITCHBOARD_LOG_FORMAT= \
  java -Xmx512m ${CP_JVM_OPTS:-} -jar "$CP_JAR" --switchboard.guard.enabled=false >"$WORK/control-plane.log" 2>&1 &
CP_PID=$!; PIDS+=($CP_PID)
wait_http control-plane "http://127.0.0.1:$CP_PORT/actuator/health/readiness" "$CP_PID"
api POST /api/v1/flags "{\"name\":\"$FLAG\",\"description\":\"propagation bench\"}"
api POST "/api/v1/flags/$FLAG/enable" '{"reason":"bench: start"}'
api PUT "/api/v1/flags/$FLAG/percentage" '{"percentage":100,"reason":"bench: start"}'
log "flag $FLAG enabled at 100 %"

router_env() { # index port tag: the router's settings as NAME=value words (environment of its own JVM)
  printf '%s\n' SERVER_PORT=$2 SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:$CP_PORT SWITCHBOARD_CLIENT_TOKEN=$CLIENT_TOKEN \
    SWITCHBOARD_ROUTER_TOKEN=$(printf 'bench-router-%d:bench-router-secret-%02d' "$1" "$1") \
    SWITCHBOARD_V1_URL=http://127.0.0.1:$V1_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$V2_PORT SWITCHBOARD_PUBLIC_URL=http://127.0.0.1:$2 \
    SWITCHBOARD_UNLEASH_BACKUP_FILE=$WORK/router-$3-unleash.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$WORK/router-$3-identifiers.json
}
router_args() { # index mode
  printf '%s\n' --switchboard.router.router-id=bench-router-$1 --switchboard.router.flag-name=$FLAG \
    --switchboard.router.signatures.generic.verify=false \
    --switchboard.router.unleash.mode="$2" --switchboard.router.unleash.poll-interval=1s \
    --logging.level.io.getunleash=WARN
}
# the same settings as options of one application context (shared mode): SWITCHBOARD_V1_URL -> --switchboard.router.v1-url
router_options() { # index port tag mode
  local kv name opts=()
  while read -r kv; do
    name=${kv%%=*}
    case $name in
      SERVER_PORT) opts+=("--server.port=${kv#*=}") ;;
      SWITCHBOARD_UNLEASH_BACKUP_FILE) opts+=("--switchboard.router.unleash.backup-file=${kv#*=}") ;;
      SWITCHBOARD_IDENTIFIER_CACHE_FILE) opts+=("--switchboard.router.tenants.cache-file=${kv#*=}") ;;
      *) name=${name#SWITCHBOARD_}; name=$(echo "$name" | tr 'A-Z_' 'a-z-'); opts+=("--switchboard.router.$name=${kv#*=}") ;;
    esac
  done < <(router_env "$1" "$2" "$3")
  while read -r kv; do opts+=("$kv"); done < <(router_args "$1" "$4")
  (IFS=';'; echo "${opts[*]}")
}
start_routers() { # mode count
  ROUTER_PIDS=(); ROUTER_URLS=()
  local i port tag specs=()
  for i in $(seq 1 "$2"); do
    port=$(free_port); tag="$i-$1-$2"
    if [ "$ROUTER_PROCESS" = shared ]; then
      specs+=("$(router_options "$i" "$port" "$tag" "$1")")
    else
      env $(router_env "$i" "$port" "$tag") \
        java -Xmx"$ROUTER_HEAP" $ROUTER_JIT $ROUTER_BASE_OPTS ${ROUTER_JVM_OPTS:-} -jar "$ROUTER_JAR" \
          $(router_args "$i" "$1") >"$WORK/router-$tag.log" 2>&1 &
      ROUTER_PIDS+=($!); PIDS+=($!)
    fi
    ROUTER_URLS+=("http://127.0.0.1:$port")
  done
  if [ "$ROUTER_PROCESS" = shared ]; then
    if [ ! -d "$WORK/router-jar" ]; then mkdir "$WORK/router-jar"; (cd "$WORK/router-jar" && jar xf "$ROOT/$ROUTER_JAR"); fi
    local heap=$(( ${ROUTER_HEAP%m} * $2 ))m young=""
    [ -n "$ROUTER_YOUNG" ] && young=-Xmn$(( ${ROUTER_YOUNG%m} * $2 ))m
    ${ROUTER_JAVA:-java} -Xmx"$heap" -Xms"$heap" -XX:+AlwaysPreTouch $young $ROUTER_JIT $ROUTER_BASE_OPTS ${ROUTER_JVM_OPTS:-} \
      -cp "$WORK/router-jar/BOOT-INF/classes:$WORK/router-jar/BOOT-INF/lib/*" bench/propagation/SharedJvmRouters.java \
      "${specs[@]}" >"$WORK/router-shared-$1-$2.log" 2>&1 &
    ROUTER_PIDS+=($!); PIDS+=($!)
    for i in $(seq 1 "$2"); do wait_http "router-shared-$1-$2" "${ROUTER_URLS[$((i - 1))]}/actuator/health/readiness" "${ROUTER_PIDS[0]}"; done
  else
    for i in $(seq 0 $(($2 - 1))); do wait_http "router-$((i + 1))-$1-$2" "${ROUTER_URLS[$i]}/actuator/health/readiness" "${ROUTER_PIDS[$i]}"; done
  fi
}
stop_routers() { local p; for p in "${ROUTER_PIDS[@]}"; do stop_pid "$p"; done; }
# CPU accounting per phase (where the machine's two cores went): user+system clock ticks of processes, and of the
# whole machine (busy = everything but idle and iowait), so the bench's own share and other work can be told apart
HZ=$(getconf CLK_TCK)
ticks() { local t=0 p s; for p in "$@"; do s=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null) && t=$((t + s)); done; echo "$t"; }
descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
# the private server's processes: its launcher, the postmaster (detached from the launcher) and the backends
pg_pids() { local p; for p in $(pgrep -f -- "$WORK/postgres/data" || true); do echo "$p"; descendants "$p"; done | sort -u; }
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
secs() { awk -v t="$1" -v hz="$HZ" 'BEGIN{printf "%.1f", t / hz}'; }

for mode in $MODES; do
  window=$WINDOW_MS; [ "$mode" = POLLING ] && window=$POLL_WINDOW_MS
  for count in $ROUTER_COUNTS; do
    start_routers "$mode" "$count"
    log "$mode, $count routers ($ROUTER_PROCESS JVMs, -Xmx$ROUTER_HEAP per router$([ "$ROUTER_PROCESS" = shared ] && [ -n "$ROUTER_YOUNG" ] && echo ", -Xmn$ROUTER_YOUNG per router"), JIT: ${ROUTER_JIT:-tiered}): ${ROUTER_URLS[*]}; $(uptime | sed 's/.*load average/load average/')"
    cp0=$(ticks "$CP_PID"); r0=$(ticks "${ROUTER_PIDS[@]}"); pg0=$(ticks $(pg_pids)); m0=$(machine_busy); w0=$(date +%s%N)
    java -Dsun.net.httpserver.nodelay=true ${PROBE_JVM_OPTS:-} bench/propagation/Probe.java "http://127.0.0.1:$CP_PORT" "$ADMIN_TOKEN" "$FLAG" "$TRIALS" "$window" "$PERIOD_US" \
      "$mode-$count" "$V1_PORT" "$V2_PORT" "${ROUTER_URLS[@]}"
    wall=$(awk -v a="$w0" -v b="$(date +%s%N)" 'BEGIN{printf "%.1f", (b - a) / 1e9}')
    log "$mode, $count routers done; $(uptime | sed 's/.*load average/load average/')"
    log "CPU during the $count-router probe ($wall s wall, $(nproc) cores = $(awk -v w="$wall" -v c="$(nproc)" 'BEGIN{printf "%.1f", w * c}') core-s): control plane $(secs $(($(ticks "$CP_PID") - cp0))) s, $count routers $(secs $(($(ticks "${ROUTER_PIDS[@]}") - r0))) s, postgres $(secs $(($(ticks $(pg_pids)) - pg0))) s (probe: its own line above); machine busy $(secs $(($(machine_busy) - m0))) s"
    grep -hiE "ERROR|Exception" "$WORK"/router-*-"$mode-$count".log | sort | uniq -c | sort -rn | head -5 || true
    stop_routers
  done
done
