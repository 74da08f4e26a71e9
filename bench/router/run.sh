#!/usr/bin/env bash
# Router overhead benchmark: wrk against a backend stub directly vs through agent-router.
# Usage: bench/router/run.sh   (from the repository root; needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/../.."
DUR=${DUR:-20s}
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
java -Xmx256m -Dsun.net.httpserver.nodelay=true bench/router/BackendStub.java "$STUB_PORT" > "$WORK/stub.log" 2>&1 &
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
export RUN_ID  # vapi.lua: call ids unique per wrk invocation (set before each one)
wrk() { RUN_ID=$(date +%s%N); command wrk "$@"; }
STUB_URL=http://127.0.0.1:$STUB_PORT/webhooks/vapi
ROUTER_URL=http://127.0.0.1:$ROUTER_PORT/webhooks/vapi
load; echo "== warm-up"; wrk -t2 -c32 -d15s -s bench/router/vapi.lua "$ROUTER_URL" | grep -E "Requests/sec"
wrk -t2 -c32 -d5s -s bench/router/vapi.lua "$STUB_URL" | grep -E "Requests/sec"
# ~1,000 webhooks/s: 10 connections each pausing PACE_MS (9 ms) between requests; wrk 4 has no fixed-rate mode, so
# the rate is 10 / (9 ms + latency): ~1,080/s direct, ~1,050/s through the router (printed as Requests/sec)
for target in direct:$STUB_URL router:$ROUTER_URL; do
  echo "== ~1000/s $target"; PACE_MS=${PACE_MS:-9} wrk -t2 -c${PACE_CONNS:-10} -d$DUR --latency -s bench/router/vapi.lua "${target#*:}" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
  load
done
cpu() { awk '{print $14+$15}' /proc/$ROUTER/stat; }  # router process CPU, clock ticks (user+sys)
for target in direct:$STUB_URL router:$ROUTER_URL; do
  echo "== saturation $target"; c0=$(cpu)
  out=$(wrk -t2 -c64 -d$DUR --latency -s bench/router/vapi.lua "${target#*:}")
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
