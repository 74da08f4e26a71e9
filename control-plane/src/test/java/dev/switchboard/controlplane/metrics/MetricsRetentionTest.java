package dev.switchboard.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Retention: windows that started before now − retention (8 days) go, from the per-tenant table and from the
 * flag-wide sums alike; younger ones stay. The job only schedules {@link MetricWindowStore#deleteOlderThan},
 * with the cutoff computed here the same way.
 */
class MetricsRetentionTest extends ControlPlaneTest {

    private final MetricWindowStore store;
    private final MetricsProperties properties;
    private final DatabaseClient db;
    private final tools.jackson.databind.json.JsonMapper json;

    MetricsRetentionTest(@Autowired MetricWindowStore store, @Autowired MetricsProperties properties,
                         @Autowired DatabaseClient db, @Autowired tools.jackson.databind.json.JsonMapper json) {
        this.store = store;
        this.json = json;
        this.properties = properties;
        this.db = db;
    }

    @Test
    void windowsOlderThanTheRetentionAreDeletedAndYoungerOnesKept() {
        String flag = unique("flag");
        String router = unique("router");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expired = now.minus(properties.retention()).minus(1, ChronoUnit.HOURS);
        Instant kept = now.minus(properties.retention()).plus(1, ChronoUnit.HOURS);
        Instant recent = now.minusSeconds(60);
        for (Instant start : List.of(expired, kept, recent)) {
            // written through the store: the intake only takes windows within minutes of its clock
            dev.switchboard.contract.MetricWindow w = json.convertValue(MetricPushes.window(router, start)
                    .series(flag, "v1", "acme", 100, 1, 300).series(flag, "v2", "beta", 100, 2, 320).build(),
                    dev.switchboard.contract.MetricWindow.class);
            store.store(w, w.series(), Instant.now()).block();
        }
        assertThat(starts("router_metric_windows", flag)).containsExactly(expired, kept, recent);
        assertThat(starts("router_metric_flag_windows", flag)).containsExactly(expired, kept, recent);

        Long deleted = store.deleteOlderThan(Instant.now().minus(properties.retention())).block();

        assertThat(deleted).isGreaterThanOrEqualTo(2); // this flag's two rows, maybe other tests' old ones
        assertThat(starts("router_metric_windows", flag)).containsExactly(kept, recent);
        assertThat(starts("router_metric_flag_windows", flag)).containsExactly(kept, recent);
    }

    private List<Instant> starts(String table, String flag) {
        return db.sql("SELECT DISTINCT window_start FROM " + table + " WHERE flag_name = :flag ORDER BY window_start")
                .bind("flag", flag)
                .map(row -> row.get("window_start", java.time.OffsetDateTime.class).toInstant())
                .all().collectList().block();
    }
}
