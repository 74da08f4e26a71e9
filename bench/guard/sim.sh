#!/usr/bin/env bash
# The guard's detector on a virtual clock (bench/guard/SequentialSim.java, the control plane's own classes):
# 30 days of A/A traffic with realistic noise at 1, 20 and 200 calls/s (target: 0 critical alerts, 0 rollbacks) and
# the detection time at 20 calls/s with v2 at 10 % errors (target p99 <= 10 s).
# Usage (from the repository root, after `mvn -q -pl control-plane -am -DskipTests package`):
#   bench/guard/sim.sh [label] [days] [seed]
# Output: bench/guard/results-<date>-<label>.txt. Its figures are counts on a virtual clock, not timings: it
# need not run alone on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL="${1:-sequential-sim}"
DAYS="${2:-30}"
SEED="${3:-1}"
OUT="bench/guard/results-$(date -u +%F)-${LABEL}.txt"
CP=control-plane/target/classes:contract/target/classes
SIM=bench/guard/SequentialSim.java
{
  echo "# bench/guard/sim.sh ${LABEL} ${DAYS} ${SEED}   ($(date -u +%FT%TZ), git $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'))"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(uptime | sed 's/.*load average: //')"
  # the three A/A runs are independent: two at a time on two cores
  java -cp "$CP" "$SIM" aa "$DAYS" 1 "$SEED" > /tmp/guard-sim-aa-1.$$ &
  java -cp "$CP" "$SIM" aa "$DAYS" 20 "$SEED" > /tmp/guard-sim-aa-20.$$
  wait
  java -cp "$CP" "$SIM" aa "$DAYS" 200 "$SEED" > /tmp/guard-sim-aa-200.$$ &
  java -cp "$CP" "$SIM" detect 2000 20 1.0 0.10 0.0 7
  java -cp "$CP" "$SIM" detect 2000 20 1.0 0.10 0.01 7
  java -cp "$CP" "$SIM" detect 2000 20 0.5 0.10 0.0 7
  java -cp "$CP" "$SIM" detect 2000 20 0.5 0.10 0.01 7
  wait
  cat /tmp/guard-sim-aa-1.$$ /tmp/guard-sim-aa-20.$$ /tmp/guard-sim-aa-200.$$
  rm -f /tmp/guard-sim-aa-*.$$
  echo "# load after: $(uptime | sed 's/.*load average: //')"
} | tee "$OUT"
