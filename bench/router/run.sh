#!/usr/bin/env bash
# Router overhead benchmark: wrk against a backend stub directly vs through agent-router.
# Usage: bench/router/run.sh   (from the repository root; needs wrk: apt-get install wrk)
#   DUR=60s       length of each ~1,000/s measurement (one direct + one routed per round)
#   ROUNDS=3      rounds of (direct, router) at ~1,000/s, alternated so that drift in the machine hits both
#   SAT_DUR=15s   length of each saturation run
#   STUB_THREADS=0  backend stub answers on its dispatcher thread (N > 0: a pool of N workers, the old stub)
# Takes ~9 minutes with the defaults. Quick look: ROUNDS=1 DUR=20s SAT_DUR=10s bench/router/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${DUR:-60s}; ROUNDS=${ROUNDS:-3}; SAT_DUR=${SAT_DUR:-15s}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
STUB_PORT=${STUB_PORT:-$(free_port)}
ROUTER_PORT=${ROUTER_PORT:-$(free_port)}
load() { echo "   [$(nproc) cores; $(uptime | sed 's/.*load average/load average/')]"; }
WORK=$(mktemp -d)
[ -f agent-router/target/agent-router.jar ] || mvn -B -q -pl agent-router -am -DskipTests package
# Cold start without a control plane: flag state and identifiers come from the backup files (acme on v2).
cat > "$WORK/unleash.json" <<JSON
{"version":2,"features":[{"name":"voice_agent_v2","description":"rev=1","type":"release","project":"default","enabled":true,"stale":false,"impressionData":false,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"tenantId","groupId":"voice_agent_v2"},"constraints":[{"contextName":"tenantId","operator":"IN","values":["acme"],"inverted":false,"caseInsensitive":false}]}],"variants":[]}]}
JSON
cat > "$WORK/identifiers.json" <<JSON
{"body":"{\"items\":[{\"provider\":\"vapi\",\"kind\":\"phone_number_id\",\"value\":\"pn_1\",\"tenantId\":\"acme\"}]}","etag":null}
JSON
java -Xmx256m -Dsun.net.httpserver.nodelay=true bench/router/BackendStub.java "$STUB_PORT" "${STUB_THREADS:-0}" > "$WORK/stub.log" 2>&1 &
STUB=$!
SERVER_PORT=$ROUTER_PORT SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:9 SWITCHBOARD_CLIENT_TOKEN=bench \
SWITCHBOARD_V1_URL=http://127.0.0.1:$STUB_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$STUB_PORT \
SWITCHBOARD_UNLEASH_BACKUP_FILE=$WORK/unleash.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$WORK/identifiers.json \
SWITCHBOARD_ROUTER_SIGNATURES_VAPI_SECRET=bench_secret SWITCHBOARD_ROUTER_UNLEASH_MODE=POLLING \
LOGGING_LEVEL_IO_GETUNLEASH=ERROR LOGGING_LEVEL_DEV_SWITCHBOARD=ERROR \
java -Xmx512m $(grep -v '^#' agent-router/jvm-options) -jar agent-router/target/agent-router.jar > "$WORK/router.log" 2>&1 &
ROUTER=$!
trap 'kill $ROUTER $STUB 2>/dev/null || true; rm -rf "$WORK"' EXIT
for i in $(seq 1 180); do curl -sf "http://127.0.0.1:$ROUTER_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done
echo "stub: $(head -1 "$WORK/stub.log")"
export RUN_ID  # vapi.lua: call ids unique per wrk invocation (set before each one)
wrk() { RUN_ID=$(date +%s%N); command wrk "$@"; }
STUB_URL=http://127.0.0.1:$STUB_PORT/webhooks/vapi
ROUTER_URL=http://127.0.0.1:$ROUTER_PORT/webhooks/vapi
# ~1,000 webhooks/s: 10 connections each pausing PACE_MS (9 ms) between requests; wrk 4 has no fixed-rate mode, so
# the rate is 10 / (9 ms + latency): ~1,080/s direct, ~1,050/s through the router (printed as Requests/sec)
paced() { PACE_MS=${PACE_MS:-9} wrk -t2 -c${PACE_CONNS:-10} -d"$1" --latency -s bench/router/vapi.lua "$2"; }
# Warm-up: JIT at full load, then the JIT profile, heap sizing and caches at the measured rate. The router runs
# for days; the first seconds after a saturating burst are a transition, not the steady state (measured in
# docs/benchmarks-router.md: the first paced run after a burst had a p99 1-3 ms higher).
load; echo "== warm-up (15 s saturation, 30 s at ~1,000/s)"
wrk -t2 -c32 -d15s -s bench/router/vapi.lua "$ROUTER_URL" | grep -E "Requests/sec"
wrk -t2 -c32 -d5s -s bench/router/vapi.lua "$STUB_URL" | grep -E "Requests/sec"
paced 30s "$ROUTER_URL" > /dev/null
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
p99_of() { echo "$1" | awk '$1=="99%" {print $2}' | to_ms; }
added=()
for round in $(seq 1 "$ROUNDS"); do
  for target in direct:$STUB_URL router:$ROUTER_URL; do
    echo "== round $round: ~1000/s ${target%%:*} (${target#*:}, $DUR)"
    out=$(paced "$DUR" "${target#*:}")
    echo "$out" | grep -E "Latency|50%|90%|99%|p99.9|Requests/sec|Non-2xx"
    [ "${target%%:*}" = direct ] && direct_p99=$(p99_of "$out") || router_p99=$(p99_of "$out")
    load
  done
  added+=("$(awk -v r="$router_p99" -v d="$direct_p99" 'BEGIN {printf "%.2f", r - d}')")
  echo "   round $round: router p99 $router_p99 ms - direct p99 $direct_p99 ms = added p99 ${added[-1]} ms"
done
median=$(printf '%s\n' "${added[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
echo "== added p99 at ~1,000/s per round: ${added[*]} ms; median $median ms (target <= 2 ms)"
cpu() { awk '{print $14+$15}' /proc/$ROUTER/stat; }  # router process CPU, clock ticks (user+sys)
for target in direct:$STUB_URL router:$ROUTER_URL; do
  echo "== saturation $target"; c0=$(cpu)
  out=$(wrk -t2 -c64 -d$SAT_DUR --latency -s bench/router/vapi.lua "${target#*:}")
  echo "$out" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
  if [ "${target%%:*}" = router ]; then # CPU the router spent per webhook: the figure that does not move with the machine's load
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "   router CPU per webhook: $(( ($(cpu) - c0) * 1000000 / $(getconf CLK_TCK) / n )) us (user+sys, $n webhooks)"
  fi
  load
done
# Where the time goes, without a profiler: a health probe on the same JVM (no webhook pipeline; NB: actuator health
# aggregation, noisy under load, not a clean framework floor, see docs/benchmarks-router.md),
# at saturation, and the router's own view of each forwarded webhook (intake to backend answer).
echo "== saturation router floor: GET /actuator/health/liveness (no webhook pipeline)"
wrk -t2 -c64 -d${FLOOR_DUR:-5s} --latency "http://127.0.0.1:$ROUTER_PORT/actuator/health/liveness" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
load
echo "== router's own latency metric (switchboard.router.latency, all runs above)"
curl -fsS "http://127.0.0.1:$ROUTER_PORT/actuator/prometheus" | awk '/^switchboard_router_latency_seconds_(count|sum|max)|^switchboard_router_webhooks_total/ { print "   " $0 }'
