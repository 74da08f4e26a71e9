package dev.switchboard.controlplane.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.contract.LatencyBuckets;
import dev.switchboard.controlplane.metrics.MetricWindowStore.Sums;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The sequential rules window by window, with exact counts: fast on a v2 of its own, silent on a cause v2 shares with
 * v1, and blind to one noisy window at high traffic.
 */
class SequentialRulesTest {

    private static final SequentialRules RULES = new SequentialRules(Thresholds.DEFAULTS);

    /** One variant's window: {@code n} requests, {@code errors} of them failed, every latency at 300 ms. */
    static Sums sums(String variant, long n, long errors) {
        long[] counts = new long[LatencyBuckets.COUNTS];
        counts[LatencyBuckets.index(300)] = n;
        return new Sums(variant, n, errors, n / 2, 0, 0, 0, 300.0 * n, counts);
    }

    static SequentialRules.Bucket window(long v1n, long v1e, long v2n, long v2e) {
        return new SequentialRules.Bucket(sums("v1", v1n, v1e), sums("v2", v2n, v2e));
    }

    static List<SequentialRules.Bucket> windows(int count, long v1n, long v1e, long v2n, long v2e) {
        List<SequentialRules.Bucket> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(window(v1n, v1e, v2n, v2e));
        }
        return out;
    }

    static Finding rule(List<Finding> findings, String name) {
        return findings.stream().filter(f -> f.rule().equals(name)).findFirst().orElseThrow();
    }

    /** The number of windows (of the given pattern, after a healthy minute) until the first critical finding. */
    static int windowsToAlarm(SequentialRules.Bucket bad, SequentialRules.Bucket healthy, int max) {
        List<SequentialRules.Bucket> seen = new ArrayList<>(java.util.Collections.nCopies(30, healthy));
        for (int w = 1; w <= max; w++) {
            seen.add(bad);
            if (RULES.evaluate(seen, "2m").stream().anyMatch(f -> f.severity() == Severity.CRITICAL)) {
                return w;
            }
        }
        return -1;
    }

    @Test
    void aV2OnItsOwnAtTenPercentIsCriticalWithinSecondsOfData() {
        // 40 v2 requests/s in 2-s windows, 8 of 80 failing; no v1 traffic (v2 at 100 %)
        int w = windowsToAlarm(window(0, 0, 80, 8), window(0, 0, 80, 0), 30);
        assertThat(w).as("windows of 2 s until the alarm").isBetween(1, 3);
        List<Finding> f = RULES.evaluate(windows(3, 0, 0, 80, 8), "2m");
        assertThat(rule(f, "error-rate-sequential").severity()).isEqualTo(Severity.CRITICAL);
        assertThat(rule(f, "error-rate-sequential").sampleSize()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void aCauseBothVariantsShareIsNotV2s() {
        // a provider outage: both variants at 10 % in the same windows, 50/50 traffic
        List<Finding> f = RULES.evaluate(windows(20, 80, 8, 80, 8), "2m");
        Finding absolute = rule(f, "error-rate-sequential");
        assertThat(absolute.severity()).isEqualTo(Severity.OK);
        assertThat(absolute.message()).contains("shared cause").contains("v1 10.00%");
        assertThat(f).noneMatch(Finding::breaching);
    }

    @Test
    void v2WorseThanV1InTheSameWindowsIsCritical() {
        // 50/50, v1 at 1 %, v2 at 10 %: the split of the errors says v2
        int w = windowsToAlarm(window(40, 0, 40, 4), window(40, 0, 40, 0), 60);
        assertThat(w).isPositive();
        List<Finding> f = RULES.evaluate(windows(15, 100, 1, 100, 10), "2m");
        Finding absolute = rule(f, "error-rate-sequential");
        assertThat(absolute.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(absolute.message()).contains("v2 above 1.5× v1 with");
        assertThat(absolute.baseline()).isCloseTo(0.01, within(1e-9));
    }

    @Test
    void quietTrafficIsQuiet() {
        assertThat(RULES.evaluate(windows(60, 200, 2, 200, 2), "2m")).noneMatch(Finding::breaching);
        assertThat(RULES.evaluate(windows(60, 0, 0, 400, 4), "2m")).noneMatch(Finding::breaching);
    }

    @Test
    void oneNoisyWindowAtHighTrafficDoesNotAlarm() {
        // 400 v2 requests per window at 1 %, then one window at 6.5 %: above h = 7 on its own (statistic ≈ 14), but
        // at this traffic h is 7 × √(400 / 80) ≈ 15.7; two such windows in a row are evidence
        List<SequentialRules.Bucket> seen = windows(30, 0, 0, 400, 4);
        seen.add(window(0, 0, 400, 26));
        assertThat(rule(RULES.evaluate(seen, "2m"), "error-rate-sequential").severity()).isEqualTo(Severity.OK);
        seen.add(window(0, 0, 400, 26));
        assertThat(rule(RULES.evaluate(seen, "2m"), "error-rate-sequential").severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void v2AboveV1ButUnderTheAbsoluteThresholdsIsCaughtByTheRelativeTest() {
        // 50/50, v1 at 1 %, v2 at 4 % (under the 5 % critical): the absolute test stays quiet, the split test does not
        List<SequentialRules.Bucket> seen = windows(50, 200, 2, 200, 8);
        List<Finding> f = RULES.evaluate(seen, "2m");
        assertThat(rule(f, "error-rate-sequential").severity()).isEqualTo(Severity.OK);
        Finding relative = rule(f, "error-rate-vs-v1-sequential");
        assertThat(relative.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(relative.baseline()).isCloseTo(0.01, within(1e-9));
        // the same with both at 4 %: nothing
        assertThat(RULES.evaluate(windows(50, 200, 8, 200, 8), "2m")).noneMatch(Finding::breaching);
    }

    @Test
    void clumpedErrorsCountAsTheirFailedCalls() {
        long[] none = new long[LatencyBuckets.COUNTS];
        // 30 errors from 10 failing calls: 10 observations; 30 from 30 calls: 30; without call ids: every error
        assertThat(SequentialRules.independentErrors(new Sums("v2", 500, 30, 250, 10, 0, 0, 0, none))).isEqualTo(10);
        assertThat(SequentialRules.independentErrors(new Sums("v2", 500, 30, 500, 30, 0, 0, 0, none))).isEqualTo(30);
        assertThat(SequentialRules.independentErrors(new Sums("v2", 500, 30, 0, 0, 0, 0, 0, none))).isEqualTo(30);
        // so 30 errors on v2 against none on v1 at 50/50 are not yet v2's when they are 10 calls
        List<SequentialRules.Bucket> seen = windows(30, 100, 0, 100, 0);
        for (int i = 0; i < 3; i++) {
            seen.add(new SequentialRules.Bucket(sums("v1", 100, 0),
                    new Sums("v2", 100, 10, 50, 3, 0, 0, 30000, sums("v2", 100, 0).latencyCounts())));
        }
        Finding absolute = rule(RULES.evaluate(seen, "2m"), "error-rate-sequential");
        assertThat(absolute.severity()).isEqualTo(Severity.OK);
        assertThat(absolute.message()).contains("not confidently above");
    }

    @Test
    void theSplitTestIgnoresWhatMovesBothRates() {
        List<Sequential.Pair> burst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long e = i % 10 < 3 ? 40 : 2; // shared bursts at 20 %, otherwise 1 %
            burst.add(new Sequential.Pair(200, e, 200, e));
        }
        assertThat(Sequential.cusumSplit(burst, 3, 3).statistic()).isZero();
    }

    /** Poisson by multiplication (means up to a few hundred). */
    private static long poisson(java.util.Random r, double mean) {
        double l = Math.exp(-mean);
        double p = 1;
        long k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /**
     * 400 requests per arm and 2-s window (200 calls/s at 50/50, about two webhooks a call); each arm's rate
     * multiplied window by window by its own log-normal wobble of {@code sigma}; v2 at {@code ratio} × v1's rate. The
     * v2-against-v1 rule over a sliding 2-minute horizon (60 windows); returns the first window at which it is
     * critical (-1: never in {@code count} windows) and the largest statistic the binomial split test (no
     * dispersion) reaches over the same horizons.
     */
    private static double[] relativeRuleOver(long seed, int count, double base, double ratio, double sigma) {
        java.util.Random r = new java.util.Random(seed);
        List<SequentialRules.Bucket> all = new ArrayList<>();
        double firstCritical = -1;
        double maxBinomial = 0;
        for (int i = 0; i < count; i++) {
            long v1e = poisson(r, 400 * base * Math.exp(sigma * r.nextGaussian() - sigma * sigma / 2));
            long v2e = poisson(r, 400 * base * ratio * Math.exp(sigma * r.nextGaussian() - sigma * sigma / 2));
            all.add(window(400, v1e, 400, v2e));
            List<SequentialRules.Bucket> horizon = all.subList(Math.max(0, all.size() - 60), all.size());
            List<Sequential.Pair> split = horizon.stream().map(b -> new Sequential.Pair(b.v2().requests(),
                    b.v2().errors(), b.v1().requests(), b.v1().errors())).toList();
            maxBinomial = Math.max(maxBinomial, Sequential.cusumSplit(split, SequentialRules.RELATIVE_RATIO).statistic());
            boolean critical = RULES.evaluate(horizon, "2m").stream().anyMatch(f ->
                    f.rule().equals(Rules.ERROR_RATE_VS_V1_SEQ) && f.severity() == Severity.CRITICAL);
            if (critical && firstCritical < 0) {
                firstCritical = i;
            }
        }
        return new double[] {firstCritical, maxBinomial};
    }

    @Test
    void anOverdispersedAaSplitDoesNotAlarmWhileATwiceWorseV2Does() {
        for (long seed = 1; seed <= 3; seed++) {
            // A/A at 5 % with each arm's rate wobbling by 40 % from window to window (20 errors a window per arm):
            // a binomial split test reaches its alarm on this noise; the dispersion-scaled one never alarms
            double[] aa = relativeRuleOver(seed, 600, 0.05, 1, 0.4);
            assertThat(aa[0]).as("A/A seed %d", seed).isEqualTo(-1);
            if (seed <= 2) {
                assertThat(aa[1]).as("binomial split, seed %d", seed).isGreaterThanOrEqualTo(SequentialRules.DEFAULT_H_RELATIVE);
            }
            // v2 steadily at twice v1's 2 %: critical within the 2-minute horizon, with binomial noise and with the
            // same kind of wobble (25 %) on both arms
            assertThat(relativeRuleOver(seed, 60, 0.02, 2, 0)[0]).as("2x binomial, seed %d", seed)
                    .isBetween(0.0, 59.0);
            assertThat(relativeRuleOver(seed, 60, 0.02, 2, 0.25)[0]).as("2x overdispersed, seed %d", seed)
                    .isBetween(0.0, 59.0);
        }
        // a steady 2x split is a shift, not a spread: the estimate stays near 1
        List<Sequential.Pair> steady = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            steady.add(new Sequential.Pair(400, 16, 400, 8));
        }
        assertThat(Sequential.splitDispersion(steady, 3, 10, 60)).isEqualTo(1);
        // an alternating 30/10, 10/30 split is far wider than binomial: capped at 3
        List<Sequential.Pair> wide = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            wide.add(i % 2 == 0 ? new Sequential.Pair(400, 30, 400, 10) : new Sequential.Pair(400, 10, 400, 30));
        }
        assertThat(Sequential.splitDispersion(wide, 3, 10, 60)).isEqualTo(3);
        // v2 turning steadily 2x worse half-way (Poisson counts): fitted before and since the change, a shift, not
        // a spread; one ratio fitted over both halves would take the shift for overdispersion
        java.util.Random r = new java.util.Random(1);
        List<Sequential.Pair> step = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            step.add(new Sequential.Pair(400, poisson(r, i < 30 ? 8 : 16), 400, poisson(r, 8)));
        }
        double twoFits = Sequential.splitDispersion(step, 3, 10, 30);
        assertThat(twoFits).isLessThan(1.05);
        assertThat(Sequential.splitDispersion(step, 3, 10, 60)).isGreaterThan(twoFits + 0.05);
    }

    @Test
    void binomialTailAndRatioConfidence() {
        assertThat(Statistics.upperTail(3, 3, 0.5)).isCloseTo(0.125, within(1e-12));
        assertThat(Statistics.upperTail(0, 10, 0.3)).isEqualTo(1);
        assertThat(Statistics.upperTail(6, 10, 0.5)).isCloseTo(386.0 / 1024, within(1e-12));
        assertThat(Statistics.upperTail(6000, 10000, 0.5)).isLessThan(1e-9); // normal approximation
        // same rate on both arms: no confidence that v2 is 1.5× v1, however many errors
        assertThat(Statistics.confidenceRatioAbove(500, 5000, 500, 5000, 1.5)).isLessThan(0.01);
        assertThat(Statistics.confidenceRatioAbove(50, 500, 2, 500, 1.5)).isGreaterThan(0.999);
        // clumped errors count for less
        assertThat(Statistics.confidenceRatioAbove(27, 500, 0, 500, 1.5, 3))
                .isLessThan(Statistics.confidenceRatioAbove(27, 500, 0, 500, 1.5, 1));
    }

    @Test
    void theControlPlaneRunsTheDefaultsTheSimulationMeasures() {
        GuardProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("switchboard.guard", GuardProperties.class);
        assertThat(defaults.sequentialThreshold()).isEqualTo(SequentialRules.DEFAULT_H);
        assertThat(defaults.sequentialRelativeThreshold()).isEqualTo(SequentialRules.DEFAULT_H_RELATIVE);
        assertThat(defaults.thresholds().toThresholds()).isEqualTo(Thresholds.DEFAULTS);
    }
}
