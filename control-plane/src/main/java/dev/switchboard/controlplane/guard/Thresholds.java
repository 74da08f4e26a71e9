package dev.switchboard.controlplane.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * The guard's rules in numbers (docs/rollout.md's go/no-go table plus the relative and evidence rules). Percentages
 * are given as percentages (2 means 2 %), as people write them. {@link #problems()} lists every inconsistency
 * so a bad configuration is refused with all its mistakes at once.
 *
 * @param errorRateWarningPercent     v2 error rate above this → warning (default 2)
 * @param errorRateCriticalPercent    v2 error rate above this → critical (default 5)
 * @param p95WarningMs                v2 p95 above this → warning (default 800)
 * @param p95CriticalMs               v2 p95 above this → critical (default 1200)
 * @param failedCallsGoPercent        failed calls at or above this → warning, and no "go" (default 3)
 * @param failedCallsNoGoPercent      failed calls above this → critical (default 10)
 * @param circuitOpensWarningPerHour  this many circuit-breaker opens in the last hour → warning (default 1)
 * @param circuitOpensCriticalPerHour more than this many → critical (default 2)
 * @param relativeP95Factor           v2 p95 above this many times v1's → critical (2)
 * @param relativeP95FloorMs          ... but only when v2's p95 is above this (2× of 20 ms is not a regression)
 * @param errorRateMinDeltaPercent    the v2-vs-v1 error test only warns when v2 is at least this much higher
 * @param confidencePercent           one-sided confidence the statistical rules need (95)
 * @param minV2Requests               fewer v2 requests in a window → "insufficient data — hold" (50)
 * @param minCalls                    fewer calls → the failed-calls rule does not judge
 * @param breachesForAlert            K: consecutive breaching evaluations before an alert (3)
 * @param healthyForRecovery          M: consecutive healthy evaluations before resolving (3)
 * @param maxAttributedTenants        at most this many critical tenants under a healthy aggregate are
 *                                    attributed (rolled back alone); more is a flag-wide problem (3)
 */
public record Thresholds(double errorRateWarningPercent, double errorRateCriticalPercent, double p95WarningMs,
                         double p95CriticalMs, double failedCallsGoPercent, double failedCallsNoGoPercent,
                         int circuitOpensWarningPerHour, int circuitOpensCriticalPerHour, double relativeP95Factor,
                         double relativeP95FloorMs, double errorRateMinDeltaPercent, double confidencePercent,
                         int minV2Requests, int minCalls, int breachesForAlert, int healthyForRecovery,
                         int maxAttributedTenants) {

    public static final Thresholds DEFAULTS = new Thresholds(2, 5, 800, 1200, 3, 10, 1, 2, 2.0, 200, 0.5, 95, 50, 20,
            3, 3, 3);

    /** Every rule this configuration breaks, in words; empty when it is sound. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        percent(out, "error-rate-warning-percent", errorRateWarningPercent);
        percent(out, "error-rate-critical-percent", errorRateCriticalPercent);
        percent(out, "failed-calls-go-percent", failedCallsGoPercent);
        percent(out, "failed-calls-no-go-percent", failedCallsNoGoPercent);
        percent(out, "error-rate-min-delta-percent", errorRateMinDeltaPercent);
        nonNegative(out, "p95-warning-ms", p95WarningMs);
        nonNegative(out, "p95-critical-ms", p95CriticalMs);
        nonNegative(out, "circuit-opens-warning-per-hour", circuitOpensWarningPerHour);
        nonNegative(out, "circuit-opens-critical-per-hour", circuitOpensCriticalPerHour);
        nonNegative(out, "relative-p95-floor-ms", relativeP95FloorMs);
        if (errorRateWarningPercent > errorRateCriticalPercent) {
            out.add("error-rate-warning-percent (" + errorRateWarningPercent + ") must not be above "
                    + "error-rate-critical-percent (" + errorRateCriticalPercent + ")");
        }
        if (p95WarningMs > p95CriticalMs) {
            out.add("p95-warning-ms (" + p95WarningMs + ") must not be above p95-critical-ms (" + p95CriticalMs + ")");
        }
        if (failedCallsGoPercent > failedCallsNoGoPercent) {
            out.add("failed-calls-go-percent (" + failedCallsGoPercent + ") must not be above "
                    + "failed-calls-no-go-percent (" + failedCallsNoGoPercent + ")");
        }
        if (circuitOpensWarningPerHour > circuitOpensCriticalPerHour + 1) {
            out.add("circuit-opens-warning-per-hour (" + circuitOpensWarningPerHour + ") must not be above "
                    + "circuit-opens-critical-per-hour + 1 (" + (circuitOpensCriticalPerHour + 1) + ")");
        }
        if (!(relativeP95Factor > 1)) {
            out.add("relative-p95-factor must be greater than 1, was " + relativeP95Factor);
        }
        if (!(confidencePercent >= 50 && confidencePercent < 100)) {
            out.add("confidence-percent must be at least 50 and below 100, was " + confidencePercent);
        }
        if (minV2Requests < 1) {
            out.add("min-v2-requests must be at least 1, was " + minV2Requests);
        }
        if (minCalls < 1) {
            out.add("min-calls must be at least 1, was " + minCalls);
        }
        if (breachesForAlert < 1) {
            out.add("breaches-for-alert must be at least 1, was " + breachesForAlert);
        }
        if (healthyForRecovery < 1) {
            out.add("healthy-for-recovery must be at least 1, was " + healthyForRecovery);
        }
        if (maxAttributedTenants < 0) {
            out.add("max-attributed-tenants must not be negative, was " + maxAttributedTenants);
        }
        return out;
    }

    /** This configuration, or an exception naming everything wrong with it. */
    public Thresholds validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid guard thresholds: " + String.join("; ", problems));
        }
        return this;
    }

    private static void percent(List<String> out, String name, double value) {
        if (Double.isNaN(value) || value < 0 || value > 100) {
            out.add(name + " must be a percentage between 0 and 100, was " + value);
        }
    }

    private static void nonNegative(List<String> out, String name, double value) {
        if (Double.isNaN(value) || value < 0) {
            out.add(name + " must not be negative, was " + value);
        }
    }
}
