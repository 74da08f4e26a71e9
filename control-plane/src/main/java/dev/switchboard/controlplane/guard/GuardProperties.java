package dev.switchboard.controlplane.guard;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The guard's settings ({@code switchboard.guard}). Thresholds are checked when the application starts: a bad
 * configuration (negative, warning above critical, a percentage over 100) stops start-up with every mistake
 * named, instead of quietly guarding nothing.
 *
 * @param enabled        run the analysis loop
 * @param interval       time between evaluations (5 s: router windows are 10 s, so K=3 spans at least two
 *                       of them and a sharp regression is rolled back in about 20-30 s)
 * @param window         the sliding window judged (5 min)
 * @param recentWindow   the short window that sees a sharp regression before the sliding one does (20 s: with
 *                       10-s router windows pushed at their close, the latest closed one)
 * @param confirmWindow  the window on which a critical error rate can also be established (30 s: the last two
 *                       closed router windows, 400 requests at 20 calls/s instead of 200)
 * @param defaultPolicy  notify-only | pause | auto-rollback
 * @param dashboardUrl   base URL of the dashboard, for links in Slack and PagerDuty
 * @param thresholds     the rules in numbers
 * @param resolvePeriod  a rolled-back (mitigated) episode resolves when its scope, re-enabled, stays healthy this long
 * @param sequentialThreshold         h of the absolute sequential tests (error rate, p95), at up to 80 v2 requests
 *                                    per router window (more: h grows with the square root); fast on purpose, and
 *                                    an alarm also needs v2 confidently worse than v1 when v1 has traffic (see
 *                                    {@link SequentialRules}; default {@link SequentialRules#DEFAULT_H})
 * @param sequentialRelativeThreshold h of the v2-against-v1 sequential test (default
 *                                    {@link SequentialRules#DEFAULT_H_RELATIVE})
 * @param sequentialHorizon           how far back the sequential tests look (and restart), at most since arming
 */
@Validated
@ConfigurationProperties("switchboard.guard")
public record GuardProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1s") @NotNull Duration interval,
                              @DefaultValue("5m") @NotNull Duration window,
                              @DefaultValue("20s") @NotNull Duration recentWindow,
                              @DefaultValue("30s") @NotNull Duration confirmWindow,
                              @DefaultValue("auto-rollback") @NotNull String defaultPolicy,
                              @DefaultValue("http://localhost:8080") @NotNull String dashboardUrl,
                              @DefaultValue @NotNull ThresholdSettings thresholds,
                              @DefaultValue("5m") @NotNull Duration resolvePeriod,
                              @DefaultValue("7") double sequentialThreshold,
                              @DefaultValue("20") double sequentialRelativeThreshold,
                              @DefaultValue("2m") @NotNull Duration sequentialHorizon) {

    public GuardProperties {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("switchboard.guard.interval must be positive, was " + interval);
        }
        if (window.compareTo(recentWindow) < 0) {
            throw new IllegalArgumentException("switchboard.guard.window (" + window
                    + ") must not be shorter than switchboard.guard.recent-window (" + recentWindow + ")");
        }
        if (window.compareTo(confirmWindow) < 0) {
            throw new IllegalArgumentException("switchboard.guard.window (" + window
                    + ") must not be shorter than switchboard.guard.confirm-window (" + confirmWindow + ")");
        }
        GuardPolicy.fromWire(defaultPolicy);
        thresholds.toThresholds().validated();
    }

    /** The thresholds as configuration, defaulting to the go/no-go table of docs/rollout.md. */
    public record ThresholdSettings(@DefaultValue("2") double errorRateWarningPercent,
                                    @DefaultValue("5") double errorRateCriticalPercent,
                                    @DefaultValue("800") double p95WarningMs,
                                    @DefaultValue("1200") double p95CriticalMs,
                                    @DefaultValue("3") double failedCallsGoPercent,
                                    @DefaultValue("10") double failedCallsNoGoPercent,
                                    @DefaultValue("1") int circuitOpensWarningPerHour,
                                    @DefaultValue("2") int circuitOpensCriticalPerHour,
                                    @DefaultValue("2.0") double relativeP95Factor,
                                    @DefaultValue("200") double relativeP95FloorMs,
                                    @DefaultValue("0.5") double errorRateMinDeltaPercent,
                                    @DefaultValue("95") double confidencePercent,
                                    @DefaultValue("50") int minV2Requests,
                                    @DefaultValue("20") int minCalls,
                                    @DefaultValue("3") int breachesForAlert,
                                    @DefaultValue("3") int healthyForRecovery,
                                    @DefaultValue("3") int maxAttributedTenants) {

        public Thresholds toThresholds() {
            return new Thresholds(errorRateWarningPercent, errorRateCriticalPercent, p95WarningMs, p95CriticalMs,
                    failedCallsGoPercent, failedCallsNoGoPercent, circuitOpensWarningPerHour,
                    circuitOpensCriticalPerHour, relativeP95Factor, relativeP95FloorMs, errorRateMinDeltaPercent,
                    confidencePercent, minV2Requests, minCalls, breachesForAlert, healthyForRecovery,
                    maxAttributedTenants);
        }
    }
}
