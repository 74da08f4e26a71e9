#!/usr/bin/env bash
# The latency floor under the router: at ~1,000 requests/s (wrk, 10 connections x 9 ms pause, the Vapi payload and
# backend stub of bench/router) the latency each proxy adds to the direct path, in alternated rounds of one run:
#   direct   wrk -> stub
#   nginx    wrk -> nginx (plain reverse proxy, upstream keep-alive) -> stub
#   netty    wrk -> NettyProxy.java (bare Netty: codec, per-loop keep-alive backend connection, nothing else) -> stub
#   reactor  wrk -> MiniProxy.java (the same on Reactor Netty, as the router forwards) -> stub
#   router   wrk -> agent-router (no Redis) -> stub
#   netty+redis, router+redis   the same two with their state on a Redis of the script's own (only when named in
#            TARGETS): NettyProxy makes the router's Redis round trips and nothing else (see its javadoc)
#   touched  the same router with its whole heap committed and touched at start (TOUCHED_OPTS, default
#            -Xms512m -XX:+AlwaysPreTouch): only when named in TARGETS, to tell the collector's first-touch page
#            faults from the rest of the router's tail
# then each proxy's saturation throughput (wrk -t2 -c32, 10 s). All JVMs use the router's jvm-options.
# Usage (repository root; needs wrk, and nginx on PATH or taken as bench/router/run.sh does):
#   bench/floor/latency.sh           ~12 minutes;   ROUNDS=6 DUR=15s WARM_SAT=30s TARGETS="direct nginx netty reactor router"
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${DUR:-15s}; ROUNDS=${ROUNDS:-6}; WARM_SAT=${WARM_SAT:-30s}
TARGETS=${TARGETS:-"direct nginx netty reactor router"}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
. bench/lib/nginx.sh
. bench/lib/router-backup.sh
[ -f agent-router/target/agent-router.jar ] || mvn -B -q -ntp -pl agent-router -am -DskipTests package
lib=target/bench-floor; mkdir -p "$lib"
if [ ! -d "$lib/lib" ] || [ agent-router/target/agent-router.jar -nt "$lib/lib" ]; then
  rm -rf "$lib/lib" "$lib/BOOT-INF"; (cd "$lib" && unzip -q -o ../../agent-router/target/agent-router.jar 'BOOT-INF/lib/*') && mv "$lib/BOOT-INF/lib" "$lib/lib"
fi
cp=$(ls -d "$lib"/lib/*.jar | tr '\n' ':')
javac -nowarn -d "$lib/classes" -cp "$cp" bench/floor/MiniProxy.java bench/floor/NettyProxy.java 2>/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
STUB_PORT=$(free_port); NGINX_PORT=$(free_port); NETTY_PORT=$(free_port); REACTOR_PORT=$(free_port); ROUTER_PORT=$(free_port)
TOUCHED_PORT=$(free_port); NETTY_REDIS_PORT=$(free_port); ROUTER_REDIS_PORT=$(free_port); REDIS_PORT=$(free_port); TOUCHED_OPTS=${TOUCHED_OPTS:--Xms512m -XX:+AlwaysPreTouch}
WORK=$(mktemp -d); PIDS=()
cleanup() {
  bench_nginx_stop "$WORK/nginx"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$WORK"
}
trap cleanup EXIT
JVM_OPTS=$(grep -v '^#' agent-router/jvm-options)
java -Xmx256m -Dsun.net.httpserver.nodelay=true bench/router/BackendStub.java "$STUB_PORT" 0 > "$WORK/stub.log" 2>&1 & PIDS+=($!)
bench_nginx_start "$WORK/nginx" "$NGINX_PORT" "$STUB_PORT"
java -Xmx512m $JVM_OPTS -cp "$lib/classes:$cp" NettyProxy "$NETTY_PORT" "http://127.0.0.1:$STUB_PORT/webhooks/vapi" > "$WORK/netty.log" 2>&1 & PIDS+=($!)
case " $TARGETS " in *"+redis "*)
  command -v redis-server >/dev/null || { echo "needs redis-server for the +redis targets"; exit 1; }
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done ;;
esac
case " $TARGETS " in *" netty+redis "*)
  java -Xmx512m $JVM_OPTS -Dredis=127.0.0.1:$REDIS_PORT -cp "$lib/classes:$cp" NettyProxy "$NETTY_REDIS_PORT" "http://127.0.0.1:$STUB_PORT/webhooks/vapi" > "$WORK/netty-redis.log" 2>&1 & PIDS+=($!) ;;
esac
java -Xmx512m $JVM_OPTS -cp "$lib/classes:$cp" MiniProxy "$REACTOR_PORT" "http://127.0.0.1:$STUB_PORT/webhooks/vapi" > "$WORK/reactor.log" 2>&1 & PIDS+=($!)
start_router() { # name port [more JVM options] [redis url]
  bench_router_backup "$WORK/$1-unleash.json" "$WORK/$1-identifiers.json"
  SERVER_PORT=$2 SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:9 SWITCHBOARD_CLIENT_TOKEN=bench SWITCHBOARD_ROUTER_TOKEN=bench-router:bench-router-secret-0 \
    SWITCHBOARD_V1_URL=http://127.0.0.1:$STUB_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$STUB_PORT \
    SWITCHBOARD_UNLEASH_BACKUP_FILE=$WORK/$1-unleash.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$WORK/$1-identifiers.json \
    SWITCHBOARD_ROUTER_SIGNATURES_VAPI_SECRET=bench_secret SWITCHBOARD_ROUTER_UNLEASH_MODE=POLLING SWITCHBOARD_ROUTER_REDIS_URL=${4:-} \
    LOGGING_LEVEL_IO_GETUNLEASH=ERROR LOGGING_LEVEL_DEV_SWITCHBOARD=ERROR \
    java -Xmx512m $JVM_OPTS ${3:-} -jar agent-router/target/agent-router.jar > "$WORK/$1.log" 2>&1 & PIDS+=($!)
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null && break; sleep 1; done
}
start_router router "$ROUTER_PORT"
case " $TARGETS " in *" touched "*) start_router touched "$TOUCHED_PORT" "$TOUCHED_OPTS" ;; esac
case " $TARGETS " in *" router+redis "*) start_router router-redis "$ROUTER_REDIS_PORT" "" "redis://127.0.0.1:$REDIS_PORT" ;; esac
export RUN_ID
wrk() { RUN_ID=$(date +%s%N); command wrk "$@"; }
declare -A URL=([direct]=http://127.0.0.1:$STUB_PORT/webhooks/vapi [nginx]=http://127.0.0.1:$NGINX_PORT/webhooks/vapi
  [netty]=http://127.0.0.1:$NETTY_PORT/webhooks/vapi [reactor]=http://127.0.0.1:$REACTOR_PORT/webhooks/vapi
  [router]=http://127.0.0.1:$ROUTER_PORT/webhooks/vapi [touched]=http://127.0.0.1:$TOUCHED_PORT/webhooks/vapi
  [netty+redis]=http://127.0.0.1:$NETTY_REDIS_PORT/webhooks/vapi [router+redis]=http://127.0.0.1:$ROUTER_REDIS_PORT/webhooks/vapi)
paced() { PACE_MS=9 wrk -t2 -c10 -d"$1" --latency -s bench/router/vapi.lua "$2"; }
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
STEAL_PREV=$(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
steal() { local now; now=$(awk '/^cpu /{print $9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  awk -v a="$STEAL_PREV" -v b="$now" 'BEGIN {split(a,x," "); split(b,y," "); t=y[2]-x[2]; printf "%.1f", (t > 0 ? 100*(y[1]-x[1])/t : 0)}'; STEAL_PREV=$now; }
echo "# $(date -u +%FT%TZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $("$NGINX" -v 2>&1)"
echo "== warm-up: $WARM_SAT saturation and 15 s at ~1,000/s on each target"
for t in $TARGETS; do
  wrk -t2 -c32 -d"$WARM_SAT" -s bench/router/vapi.lua "${URL[$t]}" | awk -v t="$t" '/Requests\/sec/ {print "   " t, $2 "/s"}'
  paced 15s "${URL[$t]}" > /dev/null
done
declare -A ADD50 ADD99 ADD999
for round in $(seq 1 "$ROUNDS"); do
  order=$TARGETS; [ $((round % 2)) = 0 ] && order=$(echo $TARGETS | tr ' ' '\n' | tac | tr '\n' ' ')
  declare -A P50=() P99=() P999=()
  for t in $order; do
    out=$(paced "$DUR" "${URL[$t]}")
    P50[$t]=$(echo "$out" | awk '$1=="50%" {print $2}' | to_ms); P99[$t]=$(echo "$out" | awk '$1=="99%" {print $2}' | to_ms)
    P999[$t]=$(echo "$out" | awk '$1=="p99.9" {print $2}' | to_ms)
    bad=$(echo "$out" | grep -E "Non-2xx|Socket errors" | tr -s ' ' || true)
    echo "round $round $t: p50 ${P50[$t]} p99 ${P99[$t]} p99.9 ${P999[$t]} ms, $(echo "$out" | awk '/Requests\/sec/ {print $2}')/s $bad"
  done
  echo "   steal $(steal) % during the round"
  for t in $TARGETS; do
    [ "$t" = direct ] && continue
    ADD50[$t]+="$(awk -v a="${P50[$t]}" -v d="${P50[direct]}" 'BEGIN {printf "%.2f", a - d}') "
    ADD99[$t]+="$(awk -v a="${P99[$t]}" -v d="${P99[direct]}" 'BEGIN {printf "%.2f", a - d}') "
    ADD999[$t]+="$(awk -v a="${P999[$t]}" -v d="${P999[direct]}" 'BEGIN {printf "%.2f", a - d}') "
  done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "== added latency at ~1,000/s (target - direct of the same round; per round, then the median), ms"
for t in $TARGETS; do
  [ "$t" = direct ] && continue
  printf '   %-12s p50 %s(median %s)   p99 %s(median %s)   p99.9 %s(median %s)\n' "$t" \
    "${ADD50[$t]}" "$(median "${ADD50[$t]}")" "${ADD99[$t]}" "$(median "${ADD99[$t]}")" "${ADD999[$t]}" "$(median "${ADD999[$t]}")"
done
echo "== saturation throughput (wrk -t2 -c32 -d10s)"
for t in $TARGETS; do
  [ "$t" = direct ] && continue
  wrk -t2 -c32 -d10s -s bench/router/vapi.lua "${URL[$t]}" | awk -v t="$t" '/Requests\/sec/ {print "   " t, $2 "/s"}'
done
echo "   steal $(steal) % since the last rounds"
