package dev.switchboard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static MetricWindow.Series series(String tenant, long requests, long errors) {
        List<Long> counts = new ArrayList<>(Collections.nCopies(LatencyBuckets.COUNTS, 0L));
        counts.set(3, requests);
        return new MetricWindow.Series("voice_agent_v2", "v2", tenant, requests, errors, requests / 2, 0L, 0L, 0L,
                requests * 40.0, LatencyBuckets.BOUNDS_MS, counts);
    }

    private static MetricWindow window(String start, MetricWindow.Series... series) {
        return withAge(start, 0L, series);
    }

    private static MetricWindow withAge(String start, Long flagStateAgeSeconds, MetricWindow.Series... series) {
        return new MetricWindow("router-1", "1.0", start, 2, Map.of("voice_agent_v2", 3L), flagStateAgeSeconds,
                List.of(series));
    }

    @Test
    void theFlagStateAgeIsOptionalButNeverNegativeOrAbsurd() {
        String start = "2026-12-06T11:59:58Z";
        assertThat(WindowRules.check(withAge(start, null), NOW).all()).isEmpty();
        assertThat(WindowRules.check(withAge(start, 3_600L), NOW).all()).isEmpty();
        assertThat(WindowRules.check(withAge(start, WindowRules.MAX_FLAG_STATE_AGE_SECONDS), NOW).all()).isEmpty();
        for (long bad : new long[] {-1, WindowRules.MAX_FLAG_STATE_AGE_SECONDS + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            WindowRules.Checked c = WindowRules.check(withAge(start, bad, series("acme", 1, 0)), NOW);
            assertThat(c.windowRefused()).as("age %d", bad).isTrue();
            assertThat(c.all()).extracting(Violation::field, Violation::rule)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("flagStateAgeSeconds", "range"));
        }
    }

    @Test
    void aSoundWindowIsAcceptedWhole() {
        WindowRules.Checked c = WindowRules.check(window("2026-12-06T11:59:58Z", series("acme", 10, 1)), NOW);
        assertThat(c.all()).isEmpty();
        assertThat(c.accepted()).hasSize(1);
    }

    @Test
    void oneBadSeriesIsRefusedAloneAndNamed() {
        WindowRules.Checked c = WindowRules.check(window("2026-12-06T11:59:58Z", series("acme", 10, 1),
                series("beta", 10, 11), series("acme eu", 5, 0)), NOW);
        assertThat(c.nothingAccepted()).isFalse();
        assertThat(c.accepted()).extracting(MetricWindow.Series::tenantId).containsExactly("acme");
        assertThat(c.refused()).extracting(WindowRules.RefusedSeries::index).containsExactly(1, 2);
        assertThat(c.refused().get(0).violations().get(0).field()).isEqualTo("series[1].errors");
        assertThat(c.refused().get(1).violations().get(0).field()).isEqualTo("series[2].tenantId");
    }

    @Test
    void absurdCountsAndClocksAreRefusedNamingTheField() {
        assertThat(WindowRules.check(window("2026-12-06T11:59:58Z", series("acme", Long.MAX_VALUE, 0)), NOW).all())
                .extracting(Violation::field).contains("series[0].requests");
        assertThat(WindowRules.check(window("1970-01-01T00:00:00Z", series("acme", 1, 0)), NOW).all())
                .extracting(Violation::rule).containsExactly("clock-skew");
        assertThat(WindowRules.check(window("2999-01-01T00:00:00Z", series("acme", 1, 0)), NOW).all())
                .extracting(Violation::rule).containsExactly("clock-skew");
        assertThat(WindowRules.check(window("2026-12-06T11:59:58Z", series("acme", 1, 0)), NOW, f -> false).all())
                .extracting(Violation::field, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("series[0].flag", "exists"));
    }

    @Test
    void theWholeWindowIsBoundedSoSumsCannotOverflow() {
        long bound = WindowRules.MAX_REQUESTS_PER_SECOND * 2;
        WindowRules.Checked c = WindowRules.check(window("2026-12-06T11:59:58Z", series("a", bound, 0),
                series("b", bound, 0)), NOW);
        assertThat(c.windowRefused()).isTrue();
        assertThat(c.all()).extracting(Violation::field).containsExactly("series");
    }

    @Test
    void oddTenantIdsAreRecordedUnderUnresolved() {
        assertThat(Identifiers.tenantForMetrics("acme eu")).isEqualTo(Identifiers.UNRESOLVED);
        assertThat(Identifiers.tenantForMetrics("x".repeat(129))).isEqualTo(Identifiers.UNRESOLVED);
        assertThat(Identifiers.tenantForMetrics(null)).isEqualTo(Identifiers.UNRESOLVED);
        assertThat(Identifiers.tenantForMetrics("tenant-0001")).isEqualTo("tenant-0001");
    }
}
