#!/usr/bin/env bash
# Guard benchmarks: false rollbacks over a simulated 24 h (virtual clock), the detection-time simulation, and the
# end-to-end detection time against the real control plane (10 trials). Figures: docs/benchmarks-guard.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d control-plane/target/classes ] || mvn -B -q -ntp -DskipTests -pl control-plane -am package
CP=control-plane/target/classes
echo "[guard] false rollbacks over 24 simulated hours (seed, requests/s per variant)"
for args in "42 20" "43 20" "44 20" "45 20" "46 20" "42 5" "43 5" "44 5" "45 5" "46 5"; do
  # shellcheck disable=SC2086
  java -cp "$CP" bench/guard/FalseRollbackBench.java $args
done
echo "[guard] detection time, simulated"
java -cp "$CP" bench/guard/DetectionSim.java 5000 7
echo "[guard] detection time, real control plane over HTTP, 10 trials"
bench/guard/detection.sh 10
