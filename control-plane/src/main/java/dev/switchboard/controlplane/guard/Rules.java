package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.metrics.VariantStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of one evaluation, as pure functions of the numbers. Each rule yields a finding (breaching or
 * not) only when it has enough evidence to judge; a rule that cannot judge says nothing.
 */
final class Rules {

    static final String ERROR_RATE = "error-rate";
    static final String P95 = "p95-latency";
    static final String FAILED_CALLS = "failed-calls";
    static final String CIRCUIT_OPENS = "circuit-breaker-opens";
    static final String RELATIVE_P95 = "p95-vs-v1";
    static final String ERROR_RATE_VS_V1 = "error-rate-vs-v1";
    static final String WIDESPREAD = "tenant-regressions-widespread";
    /** Suffix of the sequential rules' names (raised on their own alarm, without a streak). */
    static final String SEQUENTIAL = "-sequential";
    static final String ERROR_RATE_SEQ = "error-rate" + SEQUENTIAL;
    static final String P95_SEQ = "p95-latency" + SEQUENTIAL;
    static final String ERROR_RATE_VS_V1_SEQ = "error-rate-vs-v1" + SEQUENTIAL;

    /**
     * The v2-vs-v1 error test is asked every few seconds of a sliding window that moves by a thirtieth at a
     * time, so over a day it is hundreds of correlated looks at the same data: at 95 % it warned 2-6 times a
     * day at 20 req/s and about 50 times at 5 req/s with both variants at a true 1 % (bench/guard,
     * FalseRollbackBench). It therefore asks for 99.9 % (or the configured confidence, if higher) and a real
     * effect: v2 at least half as bad again as v1 as well as the configured absolute points. A v2 going from 1 %
     * to 2 % against v1 still passes at 20 req/s within the 5-min window (z ≈ 4.5); at 5 req/s it takes a
     * bigger step, and the absolute error-rate rules stay as they are.
     */
    static final double VS_V1_CONFIDENCE = 0.999;
    /**
     * A critical breach is v2's only when v2 is confidently above this many times v1's rate over the same data (when
     * v1 has comparable traffic); below, it is a cause both share (a carrier outage) and rolling back would not help.
     */
    static final double SHARED_CAUSE_FACTOR = 1.5;
    static final double VS_V1_MIN_RELATIVE_INCREASE = 0.5;
    /** v1 can vouch for a shared cause when it has at least this share of v2's traffic (see SequentialRules). */
    static final double COMPARABLE_SHARE = SequentialRules.COMPARABLE_V1_SHARE;

    private final Thresholds t;

    Rules(Thresholds thresholds) {
        this.t = thresholds;
    }

    /**
     * All findings for one scope: the sliding window, then the short ones (recent, confirm) when given;
     * circuit opens when known.
     */
    List<Finding> evaluate(String scope, String slidingLabel, VariantStats v1, VariantStats v2, String recentLabel,
                           VariantStats recentV1, VariantStats recentV2, String confirmLabel, VariantStats confirmV1,
                           VariantStats confirmV2, Long circuitOpensLastHour, VariantStats baselineV1) {
        List<Finding> out = new ArrayList<>();
        if (v2.requests() >= t.minV2Requests()) {
            VariantStats base = v1.requests() >= t.minV2Requests() ? v1 : baselineV1;
            out.addAll(window(scope, slidingLabel, v2, base, true));
        }
        out.addAll(shortWindow(scope, recentLabel, recentV1, recentV2, v1));
        out.addAll(shortWindow(scope, confirmLabel, confirmV1, confirmV2, v1));
        if (circuitOpensLastHour != null && v2.requests() >= t.minV2Requests()) {
            long opens = circuitOpensLastHour;
            Severity s = opens > t.circuitOpensCriticalPerHour() ? Severity.CRITICAL
                    : opens >= t.circuitOpensWarningPerHour() && t.circuitOpensWarningPerHour() > 0 ? Severity.WARNING
                    : Severity.OK;
            double threshold = s == Severity.CRITICAL ? t.circuitOpensCriticalPerHour() : t.circuitOpensWarningPerHour();
            out.add(new Finding(CIRCUIT_OPENS, s, scope, "1h", opens, threshold, null, v2.requests(), null,
                    opens + " circuit-breaker opens on v2 in the last hour (warning at " + t.circuitOpensWarningPerHour()
                            + ", critical above " + t.circuitOpensCriticalPerHour() + ")"));
        }
        return out;
    }

    /**
     * The short windows exist to catch sharp regressions fast: they only ever report critical, since warnings
     * from seconds of traffic would be mostly noise (the sliding window owns warnings).
     */
    private List<Finding> shortWindow(String scope, String label, VariantStats shortV1, VariantStats shortV2,
                                      VariantStats slidingV1) {
        List<Finding> out = new ArrayList<>();
        if (shortV2 == null || shortV2.requests() < t.minV2Requests()) {
            return out;
        }
        VariantStats base = shortV1 != null && shortV1.requests() >= t.minV2Requests() ? shortV1 : slidingV1;
        for (Finding f : window(scope, label, shortV2, base, false)) {
            out.add(f.severity() == Severity.WARNING ? new Finding(f.rule(), Severity.OK, f.scope(), f.window(),
                    f.value(), f.threshold(), f.baseline(), f.sampleSize(), f.confidence(), f.message()) : f);
        }
        return out;
    }

    /**
     * The latest router window's v2 error rate is above the critical threshold, with or without the confidence
     * needed to call it critical. 200 requests at a true 10 % pass the 95 % test against 5 % only about 85 % of
     * the time, so such an inconclusive window keeps a critical streak going (it must not reset it), while the
     * alert itself still waits for a confident finding. At a true 1 % the point estimate of 200 requests is above
     * 5 % about once in 100,000 windows.
     */
    boolean criticalErrorRateSuspected(VariantStats recentV2) {
        return recentV2 != null && recentV2.requests() >= t.minV2Requests()
                && recentV2.errorRate() > t.errorRateCriticalPercent() / 100;
    }

    private List<Finding> window(String scope, String label, VariantStats v2, VariantStats v1, boolean full) {
        List<Finding> out = new ArrayList<>();
        double confidence = t.confidencePercent() / 100;
        // the sliding window is asked every second over data that moves by a few windows at a time: hundreds of
        // correlated looks a day, so its comparison with v1 asks 99.9 % (as the v2-vs-v1 warning does)
        double comparison = full ? Math.max(confidence, VS_V1_CONFIDENCE) : confidence;

        double rate = v2.errorRate();
        double critical = t.errorRateCriticalPercent() / 100;
        double warning = t.errorRateWarningPercent() / 100;
        double confCritical = Statistics.confidenceAbove(v2.errors(), v2.requests(), critical);
        double confWarning = Statistics.confidenceAbove(v2.errors(), v2.requests(), warning);
        Severity errSeverity = rate > critical && confCritical >= confidence ? Severity.CRITICAL
                : rate > warning && confWarning >= confidence ? Severity.WARNING : Severity.OK;
        boolean shared = errSeverity == Severity.CRITICAL && comparable(v1, v2.requests())
                && Statistics.confidenceRatioAbove(independent(v2), v2.requests(), independent(v1), v1.requests(),
                SHARED_CAUSE_FACTOR) < comparison;
        if (shared) {
            errSeverity = Severity.WARNING; // v1 is as bad: a shared cause, and rolling back would not help
        }
        double errThreshold = errSeverity == Severity.CRITICAL ? critical : warning;
        out.add(new Finding(ERROR_RATE, errSeverity, scope, label, rate, errThreshold, null, v2.requests(),
                errSeverity == Severity.CRITICAL ? confCritical : confWarning,
                "v2 error rate " + pct(rate) + " over " + label + " (warning above " + pct(warning) + ", critical above "
                        + pct(critical) + ")" + (shared ? "; v1 is at " + pct(v1.errorRate()) + ": a shared cause, not "
                        + "v2's (no rollback)" : "")));

        double p95 = v2.p95LatencyMs();
        Severity p95Severity = p95 > t.p95CriticalMs() ? Severity.CRITICAL
                : p95 > t.p95WarningMs() ? Severity.WARNING : Severity.OK;
        boolean slowShared = p95Severity == Severity.CRITICAL && comparable(v1, v2.requests())
                && p95 < SHARED_CAUSE_FACTOR * v1.p95LatencyMs();
        if (slowShared) {
            p95Severity = Severity.WARNING; // v1 is as slow: a shared cause, and rolling back would not help
        }
        out.add(new Finding(P95, p95Severity, scope, label, p95,
                p95Severity == Severity.CRITICAL ? t.p95CriticalMs() : t.p95WarningMs(), null, v2.requests(), null,
                "v2 p95 " + ms(p95) + " over " + label + " (warning above " + ms(t.p95WarningMs()) + ", critical above "
                        + ms(t.p95CriticalMs()) + ")" + (slowShared ? "; v1's p95 is " + ms(v1.p95LatencyMs())
                        + ": a shared cause, not v2's (no rollback)" : "")));

        if (v1 != null && v1.requests() >= t.minV2Requests()) {
            double limit = v1.p95LatencyMs() * t.relativeP95Factor();
            Severity rel = p95 > limit && p95 > t.relativeP95FloorMs() ? Severity.CRITICAL : Severity.OK;
            out.add(new Finding(RELATIVE_P95, rel, scope, label, p95, limit, v1.p95LatencyMs(), v2.requests(), null,
                    "v2 p95 " + ms(p95) + " against v1 p95 " + ms(v1.p95LatencyMs()) + " (critical above "
                            + t.relativeP95Factor() + "× v1)"));
            if (full) {
                double conf = Statistics.confidenceGreater(v2.errors(), v2.requests(), v1.errors(), v1.requests());
                double delta = v2.errorRate() - v1.errorRate();
                double needed = Math.max(confidence, VS_V1_CONFIDENCE);
                Severity s = conf >= needed && delta >= t.errorRateMinDeltaPercent() / 100
                        && v2.errorRate() >= v1.errorRate() * (1 + VS_V1_MIN_RELATIVE_INCREASE)
                        ? Severity.WARNING : Severity.OK;
                out.add(new Finding(ERROR_RATE_VS_V1, s, scope, label, v2.errorRate(), v1.errorRate(), v1.errorRate(),
                        v2.requests(), conf, "v2 error rate " + pct(v2.errorRate()) + " against v1 " + pct(v1.errorRate())
                        + ": " + String.format(Locale.ROOT, "%.1f", conf * 100) + "% confident v2 is worse (warning at "
                        + String.format(Locale.ROOT, "%.1f", needed * 100) + "%, at least "
                        + t.errorRateMinDeltaPercent() + " points and " + Math.round(VS_V1_MIN_RELATIVE_INCREASE * 100)
                        + "% above v1)"));
            }
        }

        if (full && v2.calls() >= t.minCalls()) {
            double failed = v2.failedCallsRate();
            double noGo = t.failedCallsNoGoPercent() / 100;
            double go = t.failedCallsGoPercent() / 100;
            double confNoGo = Statistics.confidenceAbove(v2.failedCalls(), v2.calls(), noGo);
            double confGo = Statistics.confidenceAbove(v2.failedCalls(), v2.calls(), go);
            Severity s = failed > noGo && confNoGo >= confidence ? Severity.CRITICAL
                    : failed >= go && confGo >= confidence ? Severity.WARNING : Severity.OK;
            boolean callsShared = s == Severity.CRITICAL && v1 != null && v1.calls() >= COMPARABLE_SHARE * v2.calls()
                    && Statistics.confidenceRatioAbove(v2.failedCalls(), v2.calls(), v1.failedCalls(), v1.calls(),
                    SHARED_CAUSE_FACTOR) < comparison;
            if (callsShared) {
                s = Severity.WARNING;
            }
            out.add(new Finding(FAILED_CALLS, s, scope, label, failed, s == Severity.CRITICAL ? noGo : go, null,
                    v2.calls(), s == Severity.CRITICAL ? confNoGo : confGo,
                    "v2 failed calls " + pct(failed) + " of " + v2.calls() + " (go below " + pct(go) + ", no-go above "
                            + pct(noGo) + ")" + (callsShared ? "; v1 fails " + pct(v1.failedCallsRate())
                            + " of its calls: a shared cause, not v2's (no rollback)" : "")));
        }
        return out;
    }

    /**
     * v1 has enough traffic next to v2's to tell a shared cause from v2's own: at least the minimum requests and a
     * quarter of v2's. A critical error rate (or failed calls) is then v2's only when v2 is above 1.5 × v1's rate with
     * the configured confidence (exact test on the split of the failed calls, {@link Statistics#confidenceRatioAbove});
     * a breach both share is a warning. The 5-minute window asks 99.9 % (it is looked at every second), the short
     * windows the configured confidence, the sequential rules {@link SequentialRules#GATE_CONFIDENCE}.
     */
    private boolean comparable(VariantStats v1, long v2Requests) {
        return v1 != null && v1.requests() >= t.minV2Requests() && v1.requests() >= COMPARABLE_SHARE * v2Requests;
    }

    /** The independent errors of a window: its failed calls, or every error without call ids (see SequentialRules). */
    private static long independent(VariantStats v) {
        return v.failedCalls() > 0 ? Math.min(v.failedCalls(), v.errors()) : v.errors();
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }
}
