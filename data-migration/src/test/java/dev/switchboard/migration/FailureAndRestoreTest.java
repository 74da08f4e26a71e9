package dev.switchboard.migration;

import dev.switchboard.migration.backup.BackupInfo;
import dev.switchboard.migration.backup.RestoreResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A failure mid-run leaves the target exactly as before; backup → change → restore gives identical checksums. */
class FailureAndRestoreTest {

    private static final List<String> PLATFORM_TABLES = List.of("businesses", "voice_agent_config", "voice_calls",
            "voice_assistant_configs", "voice_assistant_metrics");

    private AgentDbFixture fx;
    private final List<MigrationAuditEvent> audited = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new AgentDbFixture();
        fx.standard();
        // more configs, so the bad row sits in a middle batch with good batches before and after it
        for (int i = 0; i < 20; i++) {
            String b = fx.business("extra-" + i, i % 2 == 0 ? "restaurant" : "dental");
            fx.config("extra-" + i, b, i == 11 ? "## Notas importantes: BOOM" : "menu " + i, null);
            fx.call("extra-" + i, b, "completed", null, 1, 30, 200 + i);
        }
        // a v2 row that was already there before the run, which nothing may remove
        fx.update("INSERT INTO voice_assistant_configs (id, business_id, assistant_type_id, voice_id)"
                + " SELECT gen_random_uuid(), id, 'native', 'v' FROM businesses WHERE name = 'extra-0'");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private VoiceAgentMigration migration() {
        return new VoiceAgentMigration(AgentDbFixture.CLOCK, audited::add);
    }

    @Test
    void aRowViolatingAConstraintInTheMiddleLeavesTheTargetExactlyAsBefore() {
        fx.update("ALTER TABLE voice_assistant_configs ADD CONSTRAINT no_boom CHECK (special_instructions <> 'BOOM')");
        Map<String, String> before = fx.checksums(PLATFORM_TABLES);

        List<Long> written = new ArrayList<>();
        MigrationResult result = migration().migrate(fx.options().batchSize(3).listener(
                new MigrationProgressListener() {
                    @Override
                    public void progress(String step, long done, long total) {
                        written.add(done);
                    }
                }).build());

        assertThat(written).as("batches written before the bad one").isNotEmpty();
        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).first().asString().startsWith("Migrating configurations failed:")
                .contains("no_boom");
        assertThat(result.errors()).contains("Rolled back: this run's writes were undone");
        assertThat(result.configsMigrated()).isZero();
        assertThat(fx.checksums(PLATFORM_TABLES)).isEqualTo(before);
        assertThat(fx.count("SELECT count(*) FROM switchboard_migrated_metrics")).isZero();
        // the backup taken before the run stays, to be used or dropped by the operator; the run is audited
        assertThat(result.backupId()).isPresent();
        assertThat(audited).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("failed"));
    }

    @Test
    void aFailedVerificationRollsBackEverythingTheRunWrote() {
        // a trigger on the target that blanks one required field: the insert succeeds, verification must catch it
        fx.update("ALTER TABLE voice_assistant_configs ALTER COLUMN voice_id DROP NOT NULL");
        fx.update("CREATE FUNCTION sabotage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.special_instructions = 'BOOM' THEN NEW.voice_id := NULL; END IF; RETURN NEW; END $$");
        fx.update("CREATE TRIGGER sabotage BEFORE INSERT ON voice_assistant_configs FOR EACH ROW"
                + " EXECUTE FUNCTION sabotage()");
        Map<String, String> before = fx.checksums(PLATFORM_TABLES);

        MigrationResult result = migration().migrate(fx.options().batchSize(4).build());

        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.errors()).anySatisfy(e -> assertThat(e)
                .isEqualTo("Config " + AgentDbFixture.id("config-extra-11") + ": required field null: voice_id"));
        assertThat(fx.checksums(PLATFORM_TABLES)).isEqualTo(before);
    }

    @Test
    void backupChangeRestoreGivesIdenticalChecksums() {
        Map<String, String> before = fx.checksums(PLATFORM_TABLES);
        MigrationResult result = migration().migrate(fx.options().build());
        assertThat(result.succeeded()).isTrue();
        // more changes after the migration: the restore must undo those too
        fx.update("DELETE FROM voice_agent_config WHERE id = ?::uuid", AgentDbFixture.id("config-extra-3"));
        fx.update("UPDATE voice_calls SET status = 'failed'");
        assertThat(fx.checksums(PLATFORM_TABLES)).isNotEqualTo(before);

        RestoreResult restored = migration().restore(fx.database(), result.backupId().orElseThrow());

        assertThat(fx.checksums(PLATFORM_TABLES)).isEqualTo(before);
        assertThat(fx.count("SELECT count(*) FROM switchboard_migrated_metrics")).isZero();
        assertThat(restored.tables()).contains("voice_calls", "voice_assistant_configs");
        assertThat(audited).last().satisfies(e -> {
            assertThat(e.action()).isEqualTo(MigrationAuditEvent.RESTORE);
            assertThat(e.backupId()).isEqualTo(result.backupId());
        });
        // after the restore, migrating again works as the first time did
        assertThat(migration().migrate(fx.options().build()).configsMigrated()).isEqualTo(result.configsMigrated());
    }

    @Test
    void listsBackupsNewestFirstWithTablesAndRowCounts() {
        assertThat(fx.migration().listBackups(fx.database())).isEmpty();
        String first = migration().migrate(fx.options().build()).backupId().orElseThrow();
        String second = new VoiceAgentMigration(java.time.Clock.offset(AgentDbFixture.CLOCK,
                java.time.Duration.ofMinutes(5)), MigrationAuditSink.NONE).migrate(fx.options().build())
                .backupId().orElseThrow();

        List<BackupInfo> backups = fx.migration().listBackups(fx.database());

        assertThat(backups).extracting(BackupInfo::id).containsExactly(second, first);
        BackupInfo firstInfo = backups.get(1);
        assertThat(firstInfo.createdAt()).isEqualTo(AgentDbFixture.NOW);
        assertThat(firstInfo.tables()).containsExactly("voice_agent_config", "voice_calls",
                "voice_assistant_configs", "voice_assistant_metrics", "switchboard_migrated_metrics");
        assertThat(firstInfo.rowCounts()).containsExactly(23L, 34L, 1L, 0L, 0L);
        assertThat(firstInfo.describe()).contains("voice_calls(34)");
    }

    @Test
    void aRestoreThatCannotReproduceTheBackupChangesNothing() {
        String backup = migration().migrate(fx.options().build()).backupId().orElseThrow();
        // a trigger that alters restored rows makes an exact restore impossible: refuse, roll back
        fx.update("CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " NEW.status := upper(NEW.status); RETURN NEW; END $$");
        fx.update("CREATE TRIGGER shout BEFORE INSERT ON voice_calls FOR EACH ROW EXECUTE FUNCTION shout()");
        Map<String, String> before = fx.checksums();

        assertThatThrownBy(() -> migration().restore(fx.database(), backup))
                .isInstanceOfSatisfying(MigrationException.class, e -> {
                    assertThat(e.kind()).isEqualTo(MigrationException.Kind.RESTORE_FAILED);
                    assertThat(e.getMessage()).contains("voice_calls").contains("nothing was restored")
                            .doesNotContain("\n");
                });
        assertThat(fx.checksums()).isEqualTo(before);
    }
}
