package dev.switchboard.controlplane.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controlplane.metrics.VariantStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The analysis, table by table: each case is a sequence of evaluations and, for each, the transitions it must
 * cause ("" for none) and the verdict status it must report.
 */
class AnalyzerTest {

    private static final Analyzer ANALYZER = new Analyzer(Thresholds.DEFAULTS);

    static VariantStats stats(String variant, long requests, long errors, double p95) {
        return new VariantStats(variant, requests, errors, requests == 0 ? 0 : (double) errors / requests, requests / 8,
                0, 0, p95 * 0.6, p95, 0, 0);
    }

    static GuardInput input(VariantStats v1, VariantStats v2, Map<String, GuardInput.Pair> tenants) {
        return new GuardInput("5m", v1, v2, "20s", null, null, 0, tenants);
    }

    static GuardInput flagOnly(VariantStats v2) {
        return input(stats("v1", 6000, 60, 300), v2, Map.of());
    }

    static final GuardInput HEALTHY = flagOnly(stats("v2", 6000, 60, 310));
    static final GuardInput BAD_ERRORS = flagOnly(stats("v2", 6000, 600, 320)); // 10 %
    static final GuardInput SLOW_RELATIVE = flagOnly(stats("v2", 6000, 60, 700)); // under 800 ms, but > 2 × 300
    static final GuardInput ERRORS_ABOVE_V1 = flagOnly(stats("v2", 6000, 108, 300)); // 1.8 % vs 1 %: under 2 %
    static final GuardInput THIN = flagOnly(stats("v2", 20, 10, 5000)); // 50 % errors but only 20 requests
    static final GuardInput TENANT_BAD = input(stats("v1", 6000, 60, 300), stats("v2", 10000, 150, 320),
            Map.of("bad-tenant", new GuardInput.Pair(stats("v1", 0, 0, 0), stats("v2", 500, 100, 330)),
                    "good-tenant", new GuardInput.Pair(stats("v1", 0, 0, 0), stats("v2", 500, 3, 300))));
    static final GuardInput TENANT_RECOVERED = input(stats("v1", 6000, 60, 300), stats("v2", 10000, 60, 320),
            Map.of("bad-tenant", new GuardInput.Pair(stats("v1", 0, 0, 0), stats("v2", 500, 3, 330))));
    static final GuardInput FOUR_TENANTS_BAD = input(stats("v1", 6000, 60, 300), stats("v2", 10000, 160, 320),
            Map.of("t1", bad(), "t2", bad(), "t3", bad(), "t4", bad()));

    /**
     * The flag over 5 min at 1.1 % (healthy, nothing to dilute) with the latest router window ({@code 20s}, 200
     * requests) and the last two ({@code 30s}, 400 requests) as given: how a sharp regression looks in its first
     * seconds, when only the short windows see it.
     */
    static GuardInput shortWindows(long recentErrors, long confirmErrors) {
        return new GuardInput("5m", stats("v1", 6000, 60, 300), stats("v2", 6000, 66, 300), "20s",
                stats("v1", 200, 2, 300), stats("v2", 200, recentErrors, 300), "30s", stats("v1", 400, 4, 300),
                stats("v2", 400, confirmErrors, 300), 0, Map.of());
    }

    static final GuardInput QUIET = shortWindows(2, 5);
    /** 10 % in the latest window: critical on its own (95 % confident it is above 5 %). */
    static final GuardInput SPIKE_CONFIDENT = shortWindows(20, 22);
    /** 6 % in the latest window: above 5 %, but only 74 % confident; the two windows together are at 3.5 %. */
    static final GuardInput SPIKE_INCONCLUSIVE = shortWindows(12, 14);
    /** 6.5 % in the latest window (83 % confident), 8.5 % over the last two (400 requests, > 99 % confident). */
    static final GuardInput CONFIRMED_BY_TWO_WINDOWS = shortWindows(13, 34);
    /** 5 % exactly in the latest window: not above the threshold, so not even pending. */
    static final GuardInput AT_THRESHOLD = shortWindows(10, 12);

    static GuardInput.Pair bad() {
        return new GuardInput.Pair(stats("v1", 0, 0, 0), stats("v2", 200, 40, 300));
    }

    record Step(GuardInput input, String status, String transitions) {
    }

    static Step step(GuardInput input, String status, String transitions) {
        return new Step(input, status, transitions);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("insufficient data holds and never alerts", List.of(
                        step(THIN, "insufficient-data", ""), step(THIN, "insufficient-data", ""),
                        step(THIN, "insufficient-data", ""), step(THIN, "insufficient-data", ""))),
                Arguments.of("a single bad window does not alert", List.of(
                        step(HEALTHY, "healthy", ""), step(BAD_ERRORS, "critical", ""),
                        step(HEALTHY, "healthy", ""), step(BAD_ERRORS, "critical", ""),
                        step(BAD_ERRORS, "critical", ""), step(HEALTHY, "healthy", ""))),
                Arguments.of("sustained breach is critical after K=3", List.of(
                        step(BAD_ERRORS, "critical", ""), step(BAD_ERRORS, "critical", ""),
                        step(BAD_ERRORS, "critical", "RAISE critical flag error-rate"),
                        step(BAD_ERRORS, "critical", ""))),
                Arguments.of("insufficient data in between neither breaks nor counts", List.of(
                        step(BAD_ERRORS, "critical", ""), step(THIN, "insufficient-data", ""),
                        step(BAD_ERRORS, "critical", ""),
                        step(BAD_ERRORS, "critical", "RAISE critical flag error-rate"))),
                Arguments.of("relative p95 regression against v1", List.of(
                        step(SLOW_RELATIVE, "critical", ""), step(SLOW_RELATIVE, "critical", ""),
                        step(SLOW_RELATIVE, "critical", "RAISE critical flag p95-vs-v1"))),
                Arguments.of("error-rate regression against v1 warns", List.of(
                        step(ERRORS_ABOVE_V1, "warning", ""), step(ERRORS_ABOVE_V1, "warning", ""),
                        step(ERRORS_ABOVE_V1, "warning", "RAISE warning flag error-rate-vs-v1"),
                        step(ERRORS_ABOVE_V1, "warning", ""))),
                Arguments.of("tenant-only regression names the tenant, aggregate untouched", List.of(
                        step(TENANT_BAD, "critical", ""), step(TENANT_BAD, "critical", ""),
                        step(TENANT_BAD, "critical", "RAISE critical bad-tenant error-rate"),
                        step(TENANT_RECOVERED, "healthy", ""), step(TENANT_RECOVERED, "healthy", ""),
                        step(TENANT_RECOVERED, "healthy", "RESOLVE critical bad-tenant error-rate"))),
                Arguments.of("more critical tenants than can be attributed is a flag-wide problem", List.of(
                        step(FOUR_TENANTS_BAD, "critical", ""), step(FOUR_TENANTS_BAD, "critical", ""),
                        step(FOUR_TENANTS_BAD, "critical", "RAISE critical flag tenant-regressions-widespread"))),
                Arguments.of("noisy but bad: an inconclusive window keeps the critical streak going", List.of(
                        step(SPIKE_CONFIDENT, "critical", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(SPIKE_CONFIDENT, "critical", "RAISE critical flag error-rate"))),
                Arguments.of("noisy but bad: inconclusive windows count, the alert waits for a confident one", List.of(
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(SPIKE_CONFIDENT, "critical", "RAISE critical flag error-rate"))),
                Arguments.of("noisy but bad: two windows together are confident where one is not", List.of(
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(CONFIRMED_BY_TWO_WINDOWS, "critical", "RAISE critical flag error-rate"))),
                Arguments.of("healthy but noisy: chance spikes between quiet windows never go critical", List.of(
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(QUIET, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(AT_THRESHOLD, "healthy", ""), step(SPIKE_CONFIDENT, "critical", ""),
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(QUIET, "healthy", ""),
                        step(SPIKE_CONFIDENT, "critical", ""), step(QUIET, "healthy", ""),
                        step(SPIKE_INCONCLUSIVE, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(QUIET, "healthy", ""))),
                Arguments.of("an inconclusive window does not count towards recovery", List.of(
                        step(SPIKE_CONFIDENT, "critical", ""), step(SPIKE_CONFIDENT, "critical", ""),
                        step(SPIKE_CONFIDENT, "critical", "RAISE critical flag error-rate"),
                        step(QUIET, "healthy", ""), step(QUIET, "healthy", ""), step(SPIKE_INCONCLUSIVE, "healthy", ""),
                        step(QUIET, "healthy", ""), step(QUIET, "healthy", ""),
                        step(QUIET, "healthy", "RESOLVE critical flag error-rate"))),
                Arguments.of("recovery resolves after M healthy evaluations", List.of(
                        step(BAD_ERRORS, "critical", ""), step(BAD_ERRORS, "critical", ""),
                        step(BAD_ERRORS, "critical", "RAISE critical flag error-rate"),
                        step(HEALTHY, "healthy", ""), step(HEALTHY, "healthy", ""),
                        step(HEALTHY, "healthy", "RESOLVE critical flag error-rate"),
                        step(HEALTHY, "healthy", ""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void table(String name, List<Step> steps) {
        GuardState state = GuardState.INITIAL;
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Analyzer.Outcome out = ANALYZER.step(state, step.input(), t.plusSeconds(10L * i));
            List<String> rendered = new ArrayList<>();
            for (Transition tr : out.verdict().transitions()) {
                rendered.add(tr.kind() + " " + tr.severity().wireName() + " " + tr.tenant().orElse("flag") + " "
                        + String.join(",", tr.rules()));
            }
            assertThat(String.join("; ", rendered)).as("%s, evaluation %d transitions", name, i + 1)
                    .isEqualTo(step.transitions());
            assertThat(out.verdict().status()).as("%s, evaluation %d status", name, i + 1).isEqualTo(step.status());
            state = out.state();
        }
    }

    @Test
    void tenantVerdictNamesTheTenantsAndExplainsEachFinding() {
        GuardState state = GuardState.INITIAL;
        Analyzer.Outcome out = null;
        for (int i = 0; i < 3; i++) {
            out = ANALYZER.step(state, TENANT_BAD, Instant.EPOCH);
            state = out.state();
        }
        Verdict v = out.verdict();
        assertThat(v.scope()).isEqualTo("tenants");
        assertThat(v.tenants()).containsExactly("bad-tenant");
        assertThat(v.summary()).contains("bad-tenant");
        Finding f = v.transitions().get(0).evidence().orElseThrow();
        assertThat(f.rule()).isEqualTo("error-rate");
        assertThat(f.value()).isEqualTo(0.2);
        assertThat(f.threshold()).isEqualTo(0.05);
        assertThat(f.sampleSize()).isEqualTo(500);
        assertThat(f.confidence()).isGreaterThan(0.95);
        assertThat(state.flag().open()).isEqualTo(Severity.OK);
    }

    @Test
    void theRecentWindowCatchesASharpRegressionTheSlidingWindowStillDilutes() {
        GuardInput input = new GuardInput("5m", stats("v1", 6000, 60, 300), stats("v2", 6000, 160, 300), "20s",
                stats("v1", 200, 2, 300), stats("v2", 200, 20, 300), 0, Map.of());
        Analyzer.Outcome out = ANALYZER.step(GuardState.INITIAL, input, Instant.EPOCH);
        assertThat(out.verdict().status()).isEqualTo("critical");
        assertThat(out.verdict().findings()).anySatisfy(f -> {
            assertThat(f.window()).isEqualTo("20s");
            assertThat(f.rule()).isEqualTo("error-rate");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void anInconclusiveEvaluationSaysWhatTheStreakIsWaitingFor() {
        Analyzer.Outcome first = ANALYZER.step(GuardState.INITIAL, SPIKE_CONFIDENT, Instant.EPOCH);
        Analyzer.Outcome second = ANALYZER.step(first.state(), SPIKE_INCONCLUSIVE, Instant.EPOCH.plusSeconds(5));
        assertThat(second.state().flag().criticalStreak()).isEqualTo(2);
        assertThat(second.verdict().summary()).contains("6.00% over 20s is above the critical 5.00%")
                .contains("critical streak 2 of 3");
        assertThat(second.verdict().findings()).noneMatch(f -> f.severity() == Severity.CRITICAL);
    }

    @Test
    void theV1ComparisonNeedsAnEffectAsWellAsConfidence() {
        // 0.9 % against 0.5 % over 20,000 requests each: > 99.9 % confident, 80 % worse, but 0.4 points: no warning
        GuardInput small = input(stats("v1", 20000, 100, 300), stats("v2", 20000, 180, 300), Map.of());
        // 4 % against 3 %: 1 point and > 99.9 % confident, but not half as bad again: no warning
        GuardInput relative = input(stats("v1", 20000, 600, 300), stats("v2", 20000, 800, 300), Map.of());
        // 1.6 % against 1 % over 6,000: 0.6 points, 60 % worse, but only 99.8 % confident: no warning
        GuardInput unsure = input(stats("v1", 6000, 60, 300), stats("v2", 6000, 96, 300), Map.of());
        for (GuardInput in : List.of(small, relative, unsure)) {
            Finding f = ANALYZER.step(GuardState.INITIAL, in, Instant.EPOCH).verdict().findings().stream()
                    .filter(x -> x.rule().equals("error-rate-vs-v1")).findFirst().orElseThrow();
            assertThat(f.severity()).as(f.message()).isEqualTo(Severity.OK);
        }
    }

    @Test
    void circuitOpensPerHourWarnAtOneAndAreCriticalAboveTwo() {
        GuardInput one = new GuardInput("5m", stats("v1", 6000, 60, 300), stats("v2", 6000, 60, 300), "20s", null, null,
                1, Map.of());
        GuardInput three = new GuardInput("5m", stats("v1", 6000, 60, 300), stats("v2", 6000, 60, 300), "20s", null,
                null, 3, Map.of());
        assertThat(ANALYZER.step(GuardState.INITIAL, one, Instant.EPOCH).verdict().status()).isEqualTo("warning");
        assertThat(ANALYZER.step(GuardState.INITIAL, three, Instant.EPOCH).verdict().status()).isEqualTo("critical");
    }

    @Test
    void badThresholdsAreRefusedWithEveryReason() {
        Thresholds bad = new Thresholds(-1, 5, 900, 800, 3, 120, 1, 2, 2.0, 200, 0.5, 95, 50, 20, 3, 3, 3);
        assertThatThrownBy(bad::validated).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("error-rate-warning-percent must be a percentage between 0 and 100, was -1.0")
                .hasMessageContaining("p95-warning-ms (900.0) must not be above p95-critical-ms (800.0)")
                .hasMessageContaining("failed-calls-no-go-percent must be a percentage between 0 and 100, was 120.0");
        assertThat(Thresholds.DEFAULTS.problems()).isEmpty();
    }
}
