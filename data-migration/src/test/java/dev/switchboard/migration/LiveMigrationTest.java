package dev.switchboard.migration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A full live run on known data: the rows written, the metric figures (p50/p95), the outcomes, the result. */
class LiveMigrationTest {

    private AgentDbFixture fx;
    private AgentDbFixture.Standard data;
    private final List<MigrationAuditEvent> audited = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new AgentDbFixture();
        data = fx.standard();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private MigrationResult migrate() {
        return new VoiceAgentMigration(AgentDbFixture.CLOCK, audited::add).migrate(fx.options().batchSize(2).build());
    }

    @Test
    void migratesConfigsWithTheLegacyTransformation() throws SQLException {
        MigrationResult result = migrate();

        assertThat(result.status()).isEqualTo(MigrationResult.Status.SUCCESS);
        assertThat(result.configsMigrated()).isEqualTo(3);
        assertThat(result.configsSkipped()).isZero();
        Map<String, Object> rest = fx.rows("SELECT * FROM voice_assistant_configs WHERE id = '"
                + data.restaurantConfig() + "'").get(0);
        assertThat(rest.get("business_id").toString()).isEqualTo(data.restaurant());
        assertThat(rest.get("assistant_type_id")).isEqualTo("rest_complete");
        assertThat(rest.get("vapi_assistant_id")).isEqualTo("vapi-rest");
        assertThat(rest.get("phone_number_id")).isEqualTo("phone-rest");
        assertThat(rest.get("voice_id")).isEqualTo("elevenlabs-maria");
        assertThat((BigDecimal) rest.get("voice_speed")).isEqualByComparingTo("1.0");
        assertThat(rest.get("personality_type")).isEqualTo("friendly");
        assertThat(rest.get("special_instructions")).isEqualTo("No aceptar grupos de mas de 10 personas.");
        assertThat((String[]) ((Array) rest.get("enabled_capabilities")).getArray()).containsExactly(
                "reservations", "orders", "menu_info", "business_hours", "human_transfer");
        assertThat(rest.get("template_version")).isEqualTo("1");
        assertThat(rest.get("migrated_from_v1")).isEqualTo(true);
        assertThat(rest.get("is_active")).isEqualTo(true);
        assertThat(fx.value("SELECT migrated_at = '2025-06-01T12:00:00Z' AND created_at = '2024-01-02T03:04:05Z'"
                + " AND updated_at = '2024-02-03T04:05:06Z' FROM voice_assistant_configs WHERE id = '"
                + data.restaurantConfig() + "'")).isEqualTo(true);
        String prompt = (String) fx.value("SELECT system_prompt FROM voice_agent_config WHERE id = '"
                + data.restaurantConfig() + "'");
        assertThat(rest.get("original_prompt_hash")).isEqualTo(Long.toHexString(Math.abs((long) prompt.hashCode())));

        Map<String, Object> dental = fx.rows("SELECT * FROM voice_assistant_configs WHERE id = '"
                + data.dentalConfig() + "'").get(0);
        assertThat(dental.get("assistant_type_id")).isEqualTo("dental_standard");
        assertThat(dental.get("voice_id")).isEqualTo("eleven-lucia");
        Map<String, Object> shop = fx.rows("SELECT * FROM voice_assistant_configs WHERE id = '"
                + data.shopConfig() + "'").get(0);
        assertThat(shop.get("assistant_type_id")).isEqualTo("retail_basic");
        assertThat(shop.get("special_instructions")).isNull();
        assertThat((String[]) ((Array) shop.get("enabled_capabilities")).getArray()).containsExactly("appointments");
        assertThat(shop.get("original_prompt_hash")).isEqualTo("0");
    }

    @Test
    void metricsPerBusinessOverTheLast30DaysWithInterpolatedPercentiles() {
        MigrationResult result = migrate();

        assertThat(result.metricsRows()).isEqualTo(2); // the shop has no calls
        Map<String, Object> rest = fx.rows("SELECT * FROM voice_assistant_metrics WHERE business_id = '"
                + data.restaurant() + "'").get(0);
        // 10 calls on days 1..10 and one 12 h ago; the 40-day-old call is outside the window
        assertThat(rest.get("total_calls")).isEqualTo(11);
        assertThat(rest.get("successful_calls")).isEqualTo(7);
        assertThat(rest.get("failed_calls")).isEqualTo(2);
        // durations 60..69 (the 0 of the unfinished call is "not measured")
        assertThat((BigDecimal) rest.get("avg_duration_seconds")).isEqualByComparingTo("64.5");
        // latencies 100, 200, …, 1000: p50 = 550, p95 = 900 + 0.55 × 100 = 955 (the legacy floor index gave 1000)
        assertThat((BigDecimal) rest.get("avg_latency_ms")).isEqualByComparingTo("550");
        assertThat((BigDecimal) rest.get("p50_latency_ms")).isEqualByComparingTo("550");
        assertThat((BigDecimal) rest.get("p95_latency_ms")).isEqualByComparingTo("955");
        assertThat(rest.get("reservations_created")).isEqualTo(1);
        assertThat(rest.get("orders_created")).isEqualTo(1); // the older order is outside the window
        assertThat(rest.get("appointments_created")).isEqualTo(0);
        assertThat(rest.get("human_transfers")).isEqualTo(1); // inferred from status "transferred"
        assertThat(fx.value("SELECT period_start = '2025-05-02T12:00:00Z' AND period_end = '2025-06-01T12:00:00Z'"
                + " FROM voice_assistant_metrics WHERE business_id = '" + data.restaurant() + "'")).isEqualTo(true);

        Map<String, Object> dental = fx.rows("SELECT * FROM voice_assistant_metrics WHERE business_id = '"
                + data.dental() + "'").get(0);
        assertThat(dental.get("total_calls")).isEqualTo(2);
        assertThat(dental.get("appointments_created")).isEqualTo(1);
        assertThat((BigDecimal) dental.get("p50_latency_ms")).isEqualByComparingTo("250");
        assertThat((BigDecimal) dental.get("p95_latency_ms")).isEqualByComparingTo("250");
        assertThat(result.callsProcessed()).isEqualTo(13);
    }

    @Test
    void infersMissingOutcomesFromStatusAndKeepsExistingOnes() {
        MigrationResult result = migrate();

        assertThat(result.outcomesInferred()).isEqualTo(9);
        assertThat(fx.rows("SELECT status, outcome, count(*) AS n FROM voice_calls GROUP BY 1, 2 ORDER BY 1, 2"))
                .extracting(r -> r.get("status") + "/" + r.get("outcome") + "=" + r.get("n"))
                .containsExactly("completed/appointment_created=1", "completed/completed=5",
                        "completed/order_created=2", "completed/reservation_created=1", "failed/failed=2",
                        "in_progress/null=1", "no-answer/abandoned=1", "transferred/transferred_to_human=1");
    }

    @Test
    void recordsTheBackupAndTheRunInTheAuditSink() {
        MigrationResult result = migrate();

        assertThat(result.backupId()).isPresent();
        assertThat(fx.count("SELECT count(*) FROM switchboard_migration_backups")).isEqualTo(1);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(MigrationAuditEvent.RUN);
            assertThat(e.outcome()).isEqualTo("success");
            assertThat(e.backupId()).isEqualTo(result.backupId());
            assertThat(e.details()).containsEntry("configsMigrated", "3").containsEntry("tenants", "all");
        });
    }

    @Test
    void aFailingAuditSinkDoesNotUndoTheMigration() {
        MigrationResult result = new VoiceAgentMigration(AgentDbFixture.CLOCK, e -> {
            throw new IllegalStateException("control plane down");
        }).migrate(fx.options().build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.warnings()).contains("Audit log not written: control plane down");
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isEqualTo(3);
    }

    @Test
    void skipBackupNeedsConfirmationOnALiveRun() {
        MigrationResult result = fx.migration().migrate(fx.options().skipBackup(true, true).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.backupId()).isEmpty();
        assertThat(fx.count("SELECT count(*) FROM switchboard_migration_backups")).isZero();
    }
}
