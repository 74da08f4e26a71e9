#!/usr/bin/env bash
# Compares router JVM option sets, one router at a time against one stub: ~1,000/s p50/p99 (3 x 10 s, after a
# 20 s warm-up), the GC pauses during those 30 s, saturation (10 s) and router CPU per webhook.
# Usage: bench/router/compare-jvm-options.sh "-Xmx512m" "-Xmx512m -XX:+UseParallelGC" ...   (needs wrk; JAVA=<java binary> for another JDK)
set -euo pipefail
cd "$(dirname "$0")/../.."
W=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
STUB_PORT=$(free_port); ROUTER_PORT=$(free_port)
cat > "$W/unleash.json" <<JSON
{"version":2,"features":[{"name":"voice_agent_v2","description":"rev=1","type":"release","project":"default","enabled":true,"stale":false,"impressionData":false,"strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"tenantId","groupId":"voice_agent_v2"},"constraints":[{"contextName":"tenantId","operator":"IN","values":["acme"],"inverted":false,"caseInsensitive":false}]}],"variants":[]}]}
JSON
java -Xmx256m -Dsun.net.httpserver.nodelay=true bench/router/BackendStub.java "$STUB_PORT" > "$W/stub.log" 2>&1 &
STUB=$!
R=
trap 'kill $STUB $R 2>/dev/null || true; rm -rf "$W"' EXIT
paced() { PACE_MS=9 RUN_ID=$(date +%s%N) wrk -t2 -c10 -d10s --latency -s bench/router/vapi.lua "$1" \
  | awk '/ 50%/{a=$2} / 99%/{b=$2} /Requests\/sec/{c=$2} END {print "p50",a,"p99",b,"rps",c}'; }
sleep 3
paced "http://127.0.0.1:$STUB_PORT/webhooks/vapi" >/dev/null   # stub warm-up
echo "direct: $(paced "http://127.0.0.1:$STUB_PORT/webhooks/vapi")"
for cfg in "$@"; do
  printf '{"body":"{\\"items\\":[{\\"provider\\":\\"vapi\\",\\"kind\\":\\"phone_number_id\\",\\"value\\":\\"pn_1\\",\\"tenantId\\":\\"acme\\"}]}","etag":null}' > "$W/identifiers.json"
  SERVER_PORT=$ROUTER_PORT SWITCHBOARD_CONTROL_PLANE_URL=http://127.0.0.1:9 SWITCHBOARD_CLIENT_TOKEN=bench SWITCHBOARD_ROUTER_TOKEN=bench-router:bench-router-secret-0 \
  SWITCHBOARD_V1_URL=http://127.0.0.1:$STUB_PORT SWITCHBOARD_V2_URL=http://127.0.0.1:$STUB_PORT \
  SWITCHBOARD_UNLEASH_BACKUP_FILE=$W/unleash.json SWITCHBOARD_IDENTIFIER_CACHE_FILE=$W/identifiers.json \
  SWITCHBOARD_ROUTER_SIGNATURES_VAPI_SECRET=bench_secret SWITCHBOARD_ROUTER_UNLEASH_MODE=POLLING \
  LOGGING_LEVEL_IO_GETUNLEASH=ERROR LOGGING_LEVEL_DEV_SWITCHBOARD=ERROR \
  ${JAVA:-java} $cfg -Xlog:gc:file="$W/gc.log" -jar agent-router/target/agent-router.jar > "$W/router.log" 2>&1 &
  R=$!
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$ROUTER_PORT/actuator/health/readiness" >/dev/null && break; sleep 1; done
  RUN_ID=$(date +%s%N) wrk -t2 -c32 -d20s -s bench/router/vapi.lua "http://127.0.0.1:$ROUTER_PORT/webhooks/vapi" >/dev/null
  g0=$(grep -c Pause "$W/gc.log" || true)
  for _ in 1 2 3; do echo "[$cfg] ~1000/s $(paced "http://127.0.0.1:$ROUTER_PORT/webhooks/vapi") load $(cut -d' ' -f1 /proc/loadavg)"; done
  echo "[$cfg] GC pauses in those 30 s: $(tail -n +$((g0 + 1)) "$W/gc.log" | grep Pause | awk '{print $NF}' | tr '\n' ' ')"
  c0=$(awk '{print $14+$15}' /proc/$R/stat)
  out=$(RUN_ID=$(date +%s%N) wrk -t2 -c64 -d10s -s bench/router/vapi.lua "http://127.0.0.1:$ROUTER_PORT/webhooks/vapi")
  c1=$(awk '{print $14+$15}' /proc/$R/stat); n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "[$cfg] saturation $(echo "$out" | awk '/Requests\/sec/{print $2}')/s, router CPU $(( (c1 - c0) * 1000000 / $(getconf CLK_TCK) / n )) us/webhook"
  kill $R; wait $R 2>/dev/null || true; R=
done
