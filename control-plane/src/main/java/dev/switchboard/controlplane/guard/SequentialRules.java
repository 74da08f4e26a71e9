package dev.switchboard.controlplane.guard;

import dev.switchboard.contract.LatencyBuckets;
import dev.switchboard.controlplane.metrics.MetricWindowStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The guard's sequential rules over the short router windows of the last minutes (since the scope's arming), in
 * time order. Each finding carries rule, value (the rate of the run behind the statistic), threshold, baseline, sample
 * size (the run's requests) and confidence, and its message states the statistic, h and the false-alarm bound.
 *
 * <ul>
 *   <li>{@code error-rate-sequential}: a {@link Sequential#cusum CUSUM} of v2's errors, p0 = the warning threshold,
 *       p1 = twice the critical one (indifferent at the critical rate), alarm at {@link #DEFAULT_H}: fast, so on its
 *       own it would also fire on a cause v2 shares with v1. Therefore, when v1 has traffic in the same windows (at
 *       least a quarter of v2's), the alarm also needs v2 to be <em>confidently</em> worse than v1 over the run's
 *       windows ({@link #GATE_CONFIDENCE} that v2's rate is above {@link Rules#SHARED_CAUSE_FACTOR} × v1's, an exact
 *       test on the split of the errors, which a shared cause does not move). Without v1 traffic (v2 at 100 %) the
 *       test decides alone: nothing can tell a shared cause from v2's then.</li>
 *   <li>{@code p95-latency-sequential}: the same over v2's requests slower than the p95 critical threshold (p0 = 2 %,
 *       p1 = 10 %: a p95 above the threshold means more than 5 % of requests are slower), with the same comparison
 *       against v1's slow requests.</li>
 *   <li>{@code error-rate-vs-v1-sequential}: {@link Sequential#cusumSplit v2 against v1 over the same windows}: does
 *       v2 take more than its share of the errors (alternative: v2 at {@link #RELATIVE_RATIO} × v1's rate)? Alarm at
 *       {@link #DEFAULT_H_RELATIVE}, each window's evidence divided by the split's overdispersion estimated over the same
 *       windows around v2's fitted ratio before and since the run began ({@link Sequential#splitDispersion}, between 1 and {@link #MAX_SPLIT_DISPERSION}); blind to shared causes by construction, so it can catch a v2 that is worse than
 *       v1 while still under the absolute thresholds. Raised only when v2's run is above the warning rate and at
 *       least twice v1's over the same windows.</li>
 * </ul>
 * The minimum-sample rule holds: no alarm on fewer than the minimum v2 requests.
 */
public final class SequentialRules {

    /**
     * h of the absolute tests. Chosen for speed (bench/guard, SequentialSim): at 40 v2 requests/s at 10 % errors the
     * statistic grows by 0.084 a request and crosses 7 after about 85 requests (2 s); its false alarms at a true
     * 1-4 % are what the comparison with v1 removes.
     */
    public static final double DEFAULT_H = 7;
    /**
     * h of the v2-against-v1 test: one false alarm per e^h (≈ 490 million) independent errors on average under equal
     * rates; 30 days at 200 calls/s are about 5 million failed calls (h = 16 gave 3 false alarms there in simulation).
     */
    public static final double DEFAULT_H_RELATIVE = 20;
    /**
     * Upper bound of the v2-against-v1 test's {@link Sequential#splitDispersion split dispersion}: the overdispersion
     * of real traffic (each arm's rate wobbling on its own from window to window, more so in bursts) can at most
     * divide the test's evidence by this, so a v2 steadily 2× worse than v1 is still caught (the estimate fits v2's
     * ratio, so a steady regression does not raise it) and an intermittent one at worst this many times slower.
     */
    public static final double MAX_SPLIT_DISPERSION = 3;
    /** The split dispersion needs at least this many windows with errors; with fewer it is taken as 1 (binomial). */
    public static final int MIN_DISPERSION_WINDOWS = 10;
    /** The v2-against-v1 test's alternative: v2's error rate this many times v1's. */
    public static final double RELATIVE_RATIO = 3;
    /** Confidence that v2 is worse than v1 beyond a shared cause, needed by an absolute alarm when v1 has traffic. */
    public static final double GATE_CONFIDENCE = 0.999;
    /** The comparison with v1 behind an absolute alarm spans at least this many of the latest windows. */
    public static final int GATE_MIN_WINDOWS = 15;
    /** v2 requests per window up to which the absolute tests use h as configured (40 requests/s in 2-s windows). */
    public static final double REFERENCE_WINDOW_REQUESTS = 80;
    /** v1 can vouch for a shared cause when it has at least this share of v2's requests in the run's windows. */
    public static final double COMPARABLE_V1_SHARE = 0.25;

    /**
     * Errors and slow requests are not independent: the webhooks of one failing call fail together, a slow backend
     * instance serves several slow requests in a row. The comparisons with v1 therefore count failed calls, not
     * errors ({@link #independentErrors}), and this many slow requests as one observation, so clumps cannot fake a
     * confident split.
     */
    public static final double DISPERSION = 3;

    /** One short window of the flag: both variants' sums. */
    public record Bucket(MetricWindowStore.Sums v1, MetricWindowStore.Sums v2) {
    }

    private final Thresholds t;
    private final double h;
    private final double hRelative;

    public SequentialRules(Thresholds thresholds, double h, double hRelative) {
        this.t = thresholds;
        this.h = h;
        this.hRelative = hRelative;
    }

    /** With the default thresholds h (as {@code switchboard.guard} has them by default). */
    public SequentialRules(Thresholds thresholds) {
        this(thresholds, DEFAULT_H, DEFAULT_H_RELATIVE);
    }

    public List<Finding> evaluate(List<Bucket> buckets, String label) {
        List<Finding> out = new ArrayList<>();
        List<Sequential.Window> errors = new ArrayList<>();
        List<Sequential.Window> slow = new ArrayList<>();
        List<Sequential.Window> slowV1 = new ArrayList<>();
        List<Sequential.Pair> split = new ArrayList<>();
        int slowFrom = LatencyBuckets.index(t.p95CriticalMs()) + 1;
        for (Bucket b : buckets) {
            errors.add(new Sequential.Window(b.v2().requests(), b.v2().errors()));
            slow.add(slowCount(b.v2(), slowFrom));
            slowV1.add(slowCount(b.v1(), slowFrom));
            split.add(new Sequential.Pair(b.v2().requests(), independentErrors(b.v2()), b.v1().requests(),
                    independentErrors(b.v1())));
        }
        double warning = t.errorRateWarningPercent() / 100;
        double critical = t.errorRateCriticalPercent() / 100;
        double p1 = Math.min(0.5, Math.max(2 * critical, warning * 1.5));
        double p0 = Math.max(warning, 1e-4);

        double hAbsolute = scaled(h, errors);
        Sequential.Result err = Sequential.cusum(errors, p0, p1);
        out.add(gated(finding(Rules.ERROR_RATE_SEQ, err, hAbsolute, p0, critical, null, label,
                "v2 error rate " + Rules.pct(err.rate()) + " over the last " + err.samples() + " v2 requests"),
                buckets, err, false, slowFrom, "errors"));

        Sequential.Result lat = Sequential.cusum(slow, 0.02, 0.10);
        out.add(gated(finding(Rules.P95_SEQ, lat, scaled(h, slow), 0.02, 0.05, null, label,
                Rules.pct(lat.rate()) + " of the last " + lat.samples() + " v2 requests slower than "
                        + Rules.ms(LatencyBuckets.BOUNDS_MS.get(Math.min(slowFrom, LatencyBuckets.BOUNDS_MS.size()) - 1))
                        + " (p95 critical above " + Rules.ms(t.p95CriticalMs()) + ")"),
                buckets, lat, true, slowFrom, "slow requests"));

        int changeAt = Sequential.cusumSplit(split, RELATIVE_RATIO).fromIndex();
        double splitDispersion = Sequential.splitDispersion(split, MAX_SPLIT_DISPERSION, MIN_DISPERSION_WINDOWS,
                changeAt);
        Sequential.Result rel = Sequential.cusumSplit(split, RELATIVE_RATIO, splitDispersion);
        if (rel.samples() > 0 || rel.statistic() > 0) {
            long v1n = 0;
            long v1e = 0;
            long v2n = 0;
            long v2e = 0;
            for (int i = rel.fromIndex(); i < buckets.size(); i++) {
                v1n += buckets.get(i).v1().requests();
                v1e += buckets.get(i).v1().errors();
                v2n += buckets.get(i).v2().requests();
                v2e += buckets.get(i).v2().errors();
            }
            double runV1Rate = v1n == 0 ? 0 : (double) v1e / v1n;
            double runV2Rate = v2n == 0 ? 0 : (double) v2e / v2n;
            boolean alarm = rel.statistic() >= hRelative && rel.samples() >= t.minV2Requests();
            boolean effect = runV2Rate > warning && runV2Rate >= 2 * runV1Rate;
            String message = "v2 error rate " + Rules.pct(runV2Rate) + " over the last " + rel.samples()
                    + " v2 requests against v1 " + Rules.pct(runV1Rate) + " over the same windows"
                    + (alarm && !effect ? " (not above " + Rules.pct(warning) + " and twice v1's: v2 not blamed)" : "")
                    + String.format(Locale.ROOT, ": sequential test statistic %.1f of v2 at %.0f× v1's rate (alarm at "
                    + "%.0f; split dispersion %.2f, each window's evidence divided by it; at most one false alarm per "
                    + "%.1e independent errors when both rates are equal)", rel.statistic(), RELATIVE_RATIO, hRelative,
                    splitDispersion, Math.exp(hRelative));
            out.add(new Finding(Rules.ERROR_RATE_VS_V1_SEQ, alarm && effect ? Severity.CRITICAL : Severity.OK, "flag",
                    label, runV2Rate, warning, runV1Rate, rel.samples(), 1 - Math.exp(-hRelative), message));
        }
        return out;
    }

    /**
     * The independent observations among a window's errors: its failed calls (the webhooks of one failing call fail
     * together: one observation). Without call ids (the router saw none, so no failed calls) every error counts.
     */
    static double independentErrors(MetricWindowStore.Sums s) {
        return s.failedCalls() > 0 ? Math.min(s.failedCalls(), s.errors()) : s.errors();
    }

    private static Sequential.Window slowCount(MetricWindowStore.Sums s, int slowFrom) {
        long measured = 0;
        long above = 0;
        long[] counts = s.latencyCounts();
        for (int i = 0; i < counts.length; i++) {
            measured += counts[i];
            if (i >= slowFrom) {
                above += counts[i];
            }
        }
        return new Sequential.Window(measured, above);
    }

    /**
     * The absolute tests' h for this traffic: {@code h} up to {@link #REFERENCE_WINDOW_REQUESTS} v2 requests per window,
     * growing with the square root of the requests per window beyond. The noise of one window's count grows with the
     * square root of its size, so this keeps the chance that one noisy window alone carries the statistic over h the
     * same at every traffic level; detection still gets faster with traffic (h grows as √n, the evidence as n).
     */
    static double scaled(double h, List<Sequential.Window> windows) {
        long n = 0;
        int with = 0;
        for (Sequential.Window w : windows) {
            if (w.n() > 0) {
                n += w.n();
                with++;
            }
        }
        double perWindow = with == 0 ? 0 : (double) n / with;
        return h * Math.max(1, Math.sqrt(perWindow / REFERENCE_WINDOW_REQUESTS));
    }

    /**
     * An absolute alarm stands when v1 has too little traffic next to v2's to compare with, or when v2 is confidently
     * worse than v1; otherwise it is a shared cause and the finding is not breaching. The comparison spans the alarm's
     * run, but at least the last {@link #GATE_MIN_WINDOWS} windows: the run is chosen by v2's own data (it starts where
     * v2's errors started to pile up), so on its own it would favour a chance excess of v2.
     */
    private static Finding gated(Finding f, List<Bucket> buckets, Sequential.Result run, boolean slow, int slowFrom,
                                 String what) {
        if (!f.breaching()) {
            return f;
        }
        int from = Math.max(0, Math.min(run.fromIndex(), buckets.size() - GATE_MIN_WINDOWS));
        long v2n = 0;
        long v2e = 0;
        long v1n = 0;
        long v1e = 0;
        double v2units = 0;
        double v1units = 0;
        for (int i = from; i < buckets.size(); i++) {
            Bucket b = buckets.get(i);
            Sequential.Window a = slow ? slowCount(b.v2(), slowFrom) : new Sequential.Window(b.v2().requests(), b.v2().errors());
            Sequential.Window c = slow ? slowCount(b.v1(), slowFrom) : new Sequential.Window(b.v1().requests(), b.v1().errors());
            v2n += a.n();
            v2e += a.events();
            v1n += c.n();
            v1e += c.events();
            v2units += slow ? a.events() / DISPERSION : independentErrors(b.v2());
            v1units += slow ? c.events() / DISPERSION : independentErrors(b.v1());
        }
        if (v1n < COMPARABLE_V1_SHARE * v2n) {
            return f;
        }
        double confidence = Statistics.confidenceRatioAbove((long) Math.floor(v2units), v2n, (long) Math.ceil(v1units),
                v1n, Rules.SHARED_CAUSE_FACTOR);
        String v1 = String.format(Locale.ROOT, "over the last %d windows v2 %s (%d of %d %s), v1 %s (%d of %d)",
                buckets.size() - from, Rules.pct(v2n == 0 ? 0 : (double) v2e / v2n), v2e, v2n, what,
                Rules.pct(v1n == 0 ? 0 : (double) v1e / v1n), v1e, v1n);
        Double baseline = v1n == 0 ? 0.0 : (double) v1e / v1n;
        if (confidence >= GATE_CONFIDENCE) {
            return new Finding(f.rule(), f.severity(), f.scope(), f.window(), f.value(), f.threshold(), baseline,
                    f.sampleSize(), f.confidence(), f.message() + "; " + v1 + String.format(Locale.ROOT,
                    ": v2 above %.1f× v1 with %.2f%% confidence", Rules.SHARED_CAUSE_FACTOR, confidence * 100));
        }
        return new Finding(f.rule(), Severity.OK, f.scope(), f.window(), f.value(), f.threshold(), baseline,
                f.sampleSize(), f.confidence(), f.message() + "; " + v1 + String.format(Locale.ROOT,
                ": v2 not confidently above %.1f× v1 (%.1f%%, %.0f%% needed), a shared cause, not v2's (no rollback)",
                Rules.SHARED_CAUSE_FACTOR, confidence * 100, GATE_CONFIDENCE * 100));
    }

    private Finding finding(String rule, Sequential.Result r, double threshold, double p0, double shownThreshold,
                            Double baseline, String label, String what) {
        boolean alarm = r.statistic() >= threshold && r.samples() >= t.minV2Requests();
        String message = what + String.format(Locale.ROOT, ": sequential test statistic %.1f (alarm at %.0f; %s)",
                r.statistic(), threshold, Sequential.bound(threshold, p0));
        return new Finding(rule, alarm ? Severity.CRITICAL : Severity.OK, "flag", label, r.rate(), shownThreshold,
                baseline, r.samples(), 1 - Math.exp(-threshold), message);
    }
}
