package dev.switchboard.migration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Dry run writes nothing; scoped runs touch only their tenants; a second run changes nothing; --force updates. */
class DryRunAndRerunTest {

    /** The platform's tables plus the migration's re-run marker: what "changes nothing" is about. */
    private static final List<String> DATA_TABLES = List.of("businesses", "voice_agent_config", "voice_calls",
            "voice_assistant_configs", "voice_assistant_metrics", "switchboard_migrated_metrics");

    private AgentDbFixture fx;
    private AgentDbFixture.Standard data;

    @BeforeEach
    void setUp() {
        fx = new AgentDbFixture();
        data = fx.standard();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void dryRunWritesNothingAndReportsWhatALiveRunDoes() {
        Map<String, String> before = fx.checksums();
        List<String> steps = new ArrayList<>();

        MigrationResult dry = fx.migration().migrate(fx.options().dryRun(true).batchSize(1)
                .listener(new MigrationProgressListener() {
                    @Override
                    public void stepStarted(int number, int total, String title) {
                        steps.add(number + "/" + total + " " + title);
                    }
                }).build());

        // every table of every schema, same content; no bookkeeping table or backup schema created
        assertThat(fx.checksums()).isEqualTo(before);
        assertThat(fx.value("SELECT to_regclass('switchboard_migration_backups')")).isNull();
        assertThat(fx.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'switchboard_backup'")).isEqualTo(0L);
        assertThat(dry.succeeded()).isTrue();
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.backupId()).isEmpty();
        assertThat(steps).hasSize(5).first().asString().startsWith("1/5");

        MigrationResult live = fx.migration().migrate(fx.options().build());
        assertThat(List.of(dry.configsMigrated(), dry.metricsRows(), (int) dry.callsProcessed(),
                (int) dry.outcomesInferred()))
                .isEqualTo(List.of(live.configsMigrated(), live.metricsRows(), (int) live.callsProcessed(),
                        (int) live.outcomesInferred()));
    }

    @Test
    void dryRunAfterALiveRunReportsSkipsAndStillWritesNothing() {
        fx.migration().migrate(fx.options().build());
        Map<String, String> before = fx.checksums();

        MigrationResult dry = fx.migration().migrate(fx.options().dryRun(true).build());

        assertThat(fx.checksums()).isEqualTo(before);
        assertThat(dry.configsMigrated()).isZero();
        assertThat(dry.configsSkipped()).isEqualTo(3);
        assertThat(dry.metricsSkipped()).isEqualTo(2);
    }

    @Test
    void tenantScopedRunTouchesOnlyItsTenants() {
        String others = "business_id <> '" + data.dental() + "'";
        Map<String, String> othersBefore = scopedChecksums(others);

        MigrationResult result = fx.migration().migrate(fx.options().tenantIds(Set.of(data.dental())).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.configsMigrated()).isEqualTo(1);
        assertThat(result.tenantScope()).contains(List.of(data.dental()));
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isEqualTo(1);
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs WHERE " + others)).isZero();
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_metrics WHERE " + others)).isZero();
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_metrics")).isEqualTo(1);
        assertThat(scopedChecksums(others)).isEqualTo(othersBefore);
        assertThat(fx.value("SELECT outcome FROM voice_calls WHERE id = '" + AgentDbFixture.id("call-dental-2") + "'"))
                .isEqualTo("abandoned");
    }

    @Test
    void stageScopedRunMigratesExactlyTheTenantsOfTheNextStage() {
        StageTenantSource nextStage = () -> Set.of(data.restaurant(), data.shop());
        String others = "business_id = '" + data.dental() + "'";
        Map<String, String> othersBefore = scopedChecksums(others);

        MigrationResult result = fx.migration().migrate(fx.options().tenantIds(nextStage.tenantsOfNextStage()).build());

        assertThat(result.configsMigrated()).isEqualTo(2);
        assertThat(scopedChecksums(others)).isEqualTo(othersBefore);
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs WHERE business_id IN ('" + data.restaurant()
                + "', '" + data.shop() + "')")).isEqualTo(2);
    }

    @Test
    void anEmptyStageMigratesNothing() {
        Map<String, String> before = fx.checksums(DATA_TABLES.subList(0, 5));

        MigrationResult result = fx.migration().migrate(fx.options().tenantIds(Set.of()).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.configsMigrated()).isZero();
        assertThat(fx.checksums(DATA_TABLES.subList(0, 5))).isEqualTo(before);
    }

    @Test
    void aSecondRunChangesNothing() {
        MigrationResult first = fx.migration().migrate(fx.options().build());
        Map<String, String> afterFirst = fx.checksums(DATA_TABLES);

        MigrationResult second = new VoiceAgentMigration(java.time.Clock.offset(AgentDbFixture.CLOCK,
                java.time.Duration.ofHours(1)), MigrationAuditSink.NONE).migrate(fx.options().build());

        assertThat(first.configsMigrated()).isEqualTo(3);
        assertThat(second.succeeded()).isTrue();
        assertThat(second.configsMigrated()).isZero();
        assertThat(second.configsSkipped()).isEqualTo(3);
        assertThat(second.metricsRows()).isZero();
        assertThat(second.metricsSkipped()).isEqualTo(2);
        assertThat(second.outcomesInferred()).isZero();
        assertThat(second.warnings()).anySatisfy(w -> assertThat(w).contains("already holds 3 rows"));
        assertThat(fx.checksums(DATA_TABLES)).isEqualTo(afterFirst);
    }

    @Test
    void forceUpdatesMigratedRowsButNeverV2NativeOnes() {
        fx.migration().migrate(fx.options().build());
        // a v2-native row that happens to share an id with a v1 config must not be overwritten
        fx.update("UPDATE voice_assistant_configs SET migrated_from_v1 = false, assistant_type_id = 'native'"
                + " WHERE id = ?::uuid", data.shopConfig());
        fx.update("UPDATE voice_agent_config SET system_prompt = 'Solo reservas' WHERE id = ?::uuid",
                data.restaurantConfig());

        MigrationResult forced = new VoiceAgentMigration(java.time.Clock.offset(AgentDbFixture.CLOCK,
                java.time.Duration.ofHours(1)), MigrationAuditSink.NONE).migrate(fx.options().force(true).build());

        assertThat(forced.succeeded()).isTrue();
        assertThat(forced.configsMigrated()).isEqualTo(2);
        assertThat(forced.configsUpdated()).isEqualTo(2);
        assertThat(forced.configsSkipped()).isEqualTo(1);
        assertThat(forced.metricsRows()).isEqualTo(2);
        assertThat(fx.value("SELECT assistant_type_id FROM voice_assistant_configs WHERE id = '"
                + data.restaurantConfig() + "'")).isEqualTo("rest_basic");
        assertThat(fx.value("SELECT assistant_type_id FROM voice_assistant_configs WHERE id = '"
                + data.shopConfig() + "'")).isEqualTo("native");
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_metrics")).isEqualTo(2);
        assertThat(fx.value("SELECT bool_and(period_end = '2025-06-01T13:00:00Z') FROM voice_assistant_metrics"))
                .isEqualTo(true);
    }

    private Map<String, String> scopedChecksums(String where) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String table : List.of("voice_agent_config", "voice_calls", "voice_assistant_configs",
                "voice_assistant_metrics")) {
            out.put(table, String.valueOf(fx.value("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|'"
                    + " ORDER BY t::text)), '-') FROM " + table + " t WHERE " + where)));
        }
        return out;
    }
}
