#!/usr/bin/env bash
# Router overhead against nginx, in one run: the same load tool (wrk), the same payload (a Vapi assistant-request,
# ~400 B, X-Vapi-Secret), the same backend stub, four targets measured in alternated rounds:
#   direct        wrk -> stub
#   nginx         wrk -> nginx (plain reverse proxy, upstream keep-alive) -> stub
#   router        wrk -> agent-router (no shared state) -> stub
#   router+redis  wrk -> agent-router with SWITCHBOARD_ROUTER_REDIS_URL (pins and retry answers on Redis) -> stub
# Added latency = target - direct of the same round. Then saturation throughput of nginx and both routers.
# Usage (repository root; needs wrk and redis-server; nginx from PATH, else taken from the Debian package into
# target/bench-router/ with apt-get download, never installed or started as a service):
#   bench/router/run.sh              ~9 minutes with the defaults
#   DUR=30s ROUNDS=2 SAT_DUR=10s     length of each ~1,000/s measurement, rounds, saturation length
#   WARM_SAT=30s                     saturation warm-up of each target before the rounds
#   PIN=1                            the load tool and the backend stub on one core (LOAD_CPUS, default 0), the proxy
#                                    under test (nginx, each router) and Redis on the other (PROXY_CPUS, default 1),
#                                    as in a deployment where the router does not share its cores with the callers
#                                    and the backend; unpinned (the default), all of them share every core
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${DUR:-30s}; ROUNDS=${ROUNDS:-2}; SAT_DUR=${SAT_DUR:-10s}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# steal: the share of CPU time the hypervisor gave to others since the previous line (on a VM it moves the tail a lot)
STEAL_PREV=$(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
load() { local now st; now=$(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  st=$(awk -v a="$STEAL_PREV" -v b="$now" 'BEGIN {split(a,x," "); split(b,y," "); t=y[2]-x[2]; printf "%.1f", (t > 0 ? 100*(y[1]-x[1])/t : 0)}')
  STEAL_PREV=$now
  echo "   [$(nproc) cores; $(uptime | sed 's/.*load average/load average/'); steal $st % since the previous line]"; }
LOAD_ON=(); PROXY_ON=()
if [ "${PIN:-0}" = 1 ]; then
  LOAD_ON=(taskset -c "${LOAD_CPUS:-0}"); PROXY_ON=(taskset -c "${PROXY_CPUS:-1}")
  echo "pinned: load tool and stub on CPU ${LOAD_CPUS:-0}; nginx, routers and Redis on CPU ${PROXY_CPUS:-1}"
fi
STUB_PORT=$(free_port); NGINX_PORT=$(free_port); ROUTER_PORT=$(free_port); ROUTER_REDIS_PORT=$(free_port); REDIS_PORT=$(free_port)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
  bench_nginx_stop "$WORK/nginx"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)"; exit 1; }
. bench/lib/nginx.sh
. bench/lib/router-backup.sh
bench_nginx_find
"$NGINX" -v 2>&1 | sed 's/^/nginx: /'
[ -f agent-router/target/agent-router.jar ] || mvn -B -q -pl agent-router -am -DskipTests package

# Cold start without a control plane: flag state and identifiers come from the backup files (acme on v2).
for r in plain redis; do bench_router_backup "$WORK/unleash-$r.json" "$WORK/identifiers-$r.json"; done
"${LOAD_ON[@]}" java -Xmx256m -Dsun.net.httpserver.nodelay=true bench/router/BackendStub.java "$STUB_PORT" 0 > "$WORK/stub.log" 2>&1 &
PIDS+=($!)
"${PROXY_ON[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
NGINX_ON=("${PROXY_ON[@]}"); bench_nginx_start "$WORK/nginx" "$NGINX_PORT" "$STUB_PORT"
start_router() { # name port redis-url
  SERVER_PORT=$2 SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:9 SWITCHBOARD_CLIENT_TOKEN=bench SWITCHBOARD_ROUTER_TOKEN=bench-router:bench-router-secret-0 \
  SWITCHBOARD_V1_URL=http://127.0.0.1:$STUB_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$STUB_PORT \
  SWITCHBOARD_UNLEASH_BACKUP_FILE=$WORK/unleash-$1.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$WORK/identifiers-$1.json \
  SWITCHBOARD_ROUTER_SIGNATURES_VAPI_SECRET=bench_secret SWITCHBOARD_ROUTER_UNLEASH_MODE=POLLING SWITCHBOARD_ROUTER_REDIS_URL=$3 \
  LOGGING_LEVEL_IO_GETUNLEASH=ERROR LOGGING_LEVEL_DEV_SWITCHBOARD=ERROR \
  "${PROXY_ON[@]}" java -Xmx512m $(grep -v '^#' agent-router/jvm-options) -jar agent-router/target/agent-router.jar > "$WORK/router-$1.log" 2>&1 &
  PIDS+=($!)
}
start_router plain "$ROUTER_PORT" ""
start_router redis "$ROUTER_REDIS_PORT" "redis://127.0.0.1:$REDIS_PORT"
for port in $ROUTER_PORT $ROUTER_REDIS_PORT; do
  for i in $(seq 1 180); do curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null && break; sleep 1; done
done
curl -s "http://127.0.0.1:$ROUTER_REDIS_PORT/actuator/health/readiness" | grep -o '"sharedState":{[^}]*}[^}]*}' | sed 's/^/router+redis: /'
echo "stub: $(head -1 "$WORK/stub.log")"

export RUN_ID  # vapi.lua: call ids unique per wrk invocation (set before each one)
WRK_BIN=$(command -v wrk)
wrk() { RUN_ID=$(date +%s%N); "${LOAD_ON[@]}" "$WRK_BIN" "$@"; }
declare -A URL=([direct]=http://127.0.0.1:$STUB_PORT/webhooks/vapi [nginx]=http://127.0.0.1:$NGINX_PORT/webhooks/vapi
  [router]=http://127.0.0.1:$ROUTER_PORT/webhooks/vapi [router+redis]=http://127.0.0.1:$ROUTER_REDIS_PORT/webhooks/vapi)
# ~1,000 webhooks/s: 10 connections each pausing PACE_MS (9 ms) between requests (wrk has no fixed-rate mode)
paced() { PACE_MS=${PACE_MS:-9} wrk -t2 -c10 -d"$1" --latency -s bench/router/vapi.lua "$2"; }
# The JVMs' JIT needs about half a minute of saturation before the router runs compiled code (measured: 7,200/s
# after 15 s, 9,800/s after 30 s); nginx and the stub need none, but get the same treatment.
WARM_SAT=${WARM_SAT:-30s}
load; echo "== warm-up: $WARM_SAT saturation and 15 s at ~1,000/s on each target"
for t in router router+redis nginx direct; do
  wrk -t2 -c32 -d"$WARM_SAT" -s bench/router/vapi.lua "${URL[$t]}" | grep -E "Requests/sec" | sed "s/^/   $t /"
  paced 15s "${URL[$t]}" > /dev/null
done
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
pct() { echo "$1" | awk -v p="$2" '$1==p {print $2}' | to_ms; }
p999() { echo "$1" | awk '$1=="p99.9" {print $2}' | to_ms; }
declare -A ADD50 ADD99 ADD999
ORDERS=("direct nginx router router+redis" "router+redis router nginx direct")
for round in $(seq 1 "$ROUNDS"); do
  declare -A P50=() P99=() P999=()
  for t in ${ORDERS[$(( (round - 1) % 2 ))]}; do
    echo "== round $round: ~1000/s $t ($DUR)"
    out=$(paced "$DUR" "${URL[$t]}")
    echo "$out" | grep -E "50%|90%|99%|p99.9|Requests/sec|Non-2xx|Socket errors" | sed 's/^/   /'
    P50[$t]=$(pct "$out" 50%); P99[$t]=$(pct "$out" 99%); P999[$t]=$(p999 "$out")
  done
  load
  for t in nginx router router+redis; do
    ADD50[$t]+="$(awk -v a="${P50[$t]}" -v d="${P50[direct]}" 'BEGIN {printf "%.2f", a - d}') "
    ADD99[$t]+="$(awk -v a="${P99[$t]}" -v d="${P99[direct]}" 'BEGIN {printf "%.2f", a - d}') "
    ADD999[$t]+="$(awk -v a="${P999[$t]}" -v d="${P999[direct]}" 'BEGIN {printf "%.2f", a - d}') "
  done
  echo "   round $round direct: p50 ${P50[direct]} ms, p99 ${P99[direct]} ms, p99.9 ${P999[direct]} ms"
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "== added latency at ~1,000/s (target - direct, per round; median)"
for t in nginx router router+redis; do
  printf '   %-13s p50 %s(median %s)   p99 %s(median %s)   p99.9 %s(median %s) ms\n' "$t" \
    "${ADD50[$t]}" "$(median "${ADD50[$t]}")" "${ADD99[$t]}" "$(median "${ADD99[$t]}")" "${ADD999[$t]}" "$(median "${ADD999[$t]}")"
done
echo "== saturation throughput (wrk -t2 -c32 -d$SAT_DUR)"
declare -A RPS
for t in nginx router router+redis; do
  out=$(wrk -t2 -c32 -d"$SAT_DUR" --latency -s bench/router/vapi.lua "${URL[$t]}")
  RPS[$t]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$out" | grep -E "50%|99%|Requests/sec|Non-2xx|Socket errors" | sed "s/^/   $t /"
done
load
for t in router router+redis; do
  echo "   $t / nginx throughput: $(awk -v a="${RPS[$t]}" -v n="${RPS[nginx]}" 'BEGIN {printf "%.2f", a / n}') (target >= 0.5)"
done
echo "== shared state of router+redis after the run"
curl -fsS "http://127.0.0.1:$ROUTER_REDIS_PORT/actuator/prometheus" | awk '/^switchboard_router_shared_state_(errors_total|available)/ { print "   " $0 }'
echo "   redis keys: $(redis-cli -p "$REDIS_PORT" dbsize 2>/dev/null || echo '?')"
