#!/usr/bin/env bash
# First bad call → total rollback through the real router and control plane (their jars as processes, a private
# PostgreSQL, WireMock voice agents, Slack and PagerDuty), 20 calls/s (40 webhooks/s), v2 at 10 % errors.
# Usage (from the repository root): bench/guard/e2e.sh [trials] [percent] [label]
# Builds the jars (offline reactor build; only GuardDetectionBench runs), router windows of the default 2 s
# (PUSH=1s bench/guard/e2e.sh ... for 1-s windows). Run it alone on the
# machine (it measures time). Output: bench/guard/results-<date>-<label>.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
TRIALS="${1:-20}"
PERCENT="${2:-100}"
LABEL="${3:-e2e}"
OUT="bench/guard/results-$(date -u +%F)-${LABEL}.txt"
LOAD_BEFORE="$(uptime | sed 's/.*load average: //')"
mvn -B -q -o -pl demo -am -Dtest=GuardDetectionBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.trials="$TRIALS" -Dbench.percent="$PERCENT" -Dbench.push="${PUSH:-2s}" verify
REPORT=demo/target/surefire-reports/dev.switchboard.demo.guard.GuardDetectionBench-output.txt
{
  echo "# bench/guard/e2e.sh ${TRIALS} ${PERCENT} (router windows ${PUSH:-2s})   ($(date -u +%FT%TZ), git $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes'))"
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: ${LOAD_BEFORE}; after: $(uptime | sed 's/.*load average: //')"
  grep -E '^(trial|RESULT)' "$REPORT"
} | tee "$OUT"
