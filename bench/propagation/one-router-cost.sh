#!/usr/bin/env bash
# What one router costs per webhook at a steady low rate: runs bench/propagation/run.sh with one router and the
# probe's steady traffic, and reads the run time of all the router's threads (/proc/<pid>/task/*/schedstat, exact)
# over 10 s, SAMPLE_AT seconds into the traffic. Run it alone on the machine.
# Usage: bench/propagation/one-router-cost.sh LABEL PERIOD_US ["more router JVM options"]
#        env JIT (router JIT options, default C1 only as run.sh), WARM (probe warm-up ms, default 35000), SAMPLE_AT (s, 15)
set -euo pipefail
cd "$(dirname "$0")/../.."
label=$1; period=$2; opts=${3:-}
mkdir -p target/bench
out=target/bench/one-router-$label.log
( TRIALS=1 ROUTER_COUNTS=1 PERIOD_US=$period PROBE_WARMUP_MS=${WARM:-35000} ROUTER_JIT="${JIT--XX:TieredStopAtLevel=1}" \
    ROUTER_JVM_OPTS="$opts" bash bench/propagation/run.sh >"$out" 2>&1 ) &
bench=$!
for _ in $(seq 1 240); do grep -q "STREAMING, 1 routers (" "$out" 2>/dev/null && break; sleep 0.5; done
router=$(pgrep -f "router-id=bench-router-1" | head -1)
runtime() { local t=0 a rest f; for f in /proc/"$router"/task/*/schedstat; do read -r a rest <"$f" 2>/dev/null && t=$((t + a)); done; echo "$t"; }
sleep "${SAMPLE_AT:-15}"; a=$(runtime); sleep 10; b=$(runtime)
awk -v l="$label" -v p="$period" -v o="$opts" -v a="$a" -v b="$b" 'BEGIN{printf "%s: one webhook every %d us, options \"%s\": router run time in 10 s %.3f s, per webhook %.3f ms\n", l, p, o, (b-a)/1e9, (b-a)/1e6/(10e6/p)}'
wait "$bench"
