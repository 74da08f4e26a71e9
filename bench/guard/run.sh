#!/usr/bin/env bash
# Guard benchmarks of the current (sequential) design: 30 simulated days of A/A traffic at 1, 20 and 200 calls/s and
# the simulated detection time (virtual clock, the control plane's own detector), then first bad call → total
# rollback through the real router and control plane (20 trials). Figures: docs/benchmarks-guard.md (c).
# The previous design's benchmarks (10-s windows, K = 3) remain runnable one by one: FalseRollbackBench.java,
# DetectionSim.java, detection.sh (docs/benchmarks-guard.md (a), (b)).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d control-plane/target/classes ] || mvn -B -q -ntp -DskipTests -pl control-plane -am package
bench/guard/sim.sh sequential-sim 30 1
bench/guard/e2e.sh 20 100 e2e
