package dev.switchboard.cli;

import static dev.switchboard.cli.CliCommandsTest.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.migration.AgentDbFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code switchboard migrate} and {@code rollback --level data} with migration backups: the real control plane on a
 * random port (stage preview, audit log) and a real voice-agent PostgreSQL built from the data-migration fixture.
 */
class MigrateAndDataRollbackTest {

    /** The tables a migration changes plus its source of tenants: what a restore must put back exactly. */
    private static final List<String> AGENT_TABLES = List.of("public.businesses", "public.voice_agent_config",
            "public.voice_calls", "public.voice_assistant_configs", "public.voice_assistant_metrics");

    @TempDir
    static Path home;

    static CliRun admin;
    static CliRun operator;

    AgentDbFixture fx;
    String url;

    @BeforeAll
    static void clients() {
        admin = CliRun.as(ControlPlaneServer.ADMIN_TOKEN, home);
        operator = CliRun.as(Fixtures.createToken(admin, "operator"), home);
    }

    @BeforeEach
    void agentDatabase() {
        fx = new AgentDbFixture();
        fx.standard();
        url = fx.database().jdbcUrl() + "?user=" + fx.database().user();
    }

    @AfterEach
    void dropAgentDatabase() {
        fx.close();
    }

    private Map<String, String> agentChecksums() {
        Map<String, String> all = fx.checksums();
        Map<String, String> out = new LinkedHashMap<>();
        AGENT_TABLES.forEach(t -> out.put(t, all.get(t)));
        return out;
    }

    private JsonNode auditOf(String flag) {
        CliRun.Result audit = admin.run("audit", "--flag", flag, "-o", "json");
        assertThat(audit.exit()).as(audit.toString()).isZero();
        return audit.json().path("items");
    }

    @Test
    void dryRunWritesNothingAndIsNotAudited() {
        String flag = Fixtures.unique("migrate_dry");
        Map<String, String> before = fx.checksums();

        CliRun.Result dry = operator.run("migrate", "--database-url", url, "--dry-run", "--flag", flag,
                "--batch-size", "2", "-o", "json");

        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.json().path("status").asString()).isEqualTo("SUCCESS");
        assertThat(dry.json().path("dryRun").asBoolean()).isTrue();
        assertThat(dry.json().path("configsMigrated").asInt()).isEqualTo(3);
        assertThat(dry.err()).contains("[1/5] Validating current data", "[DRY RUN]"); // plain lines: no terminal
        assertThat(fx.checksums()).isEqualTo(before); // every table of every schema, byte for byte
        assertThat(auditOf(flag).isEmpty()).isTrue();
    }

    @Test
    void liveRunIsRecordedInTheAuditLogAndNeedsAReason() {
        String flag = Fixtures.unique("migrate_live");
        Map<String, String> before = fx.checksums();
        CliRun.Result noReason = operator.run("migrate", "--database-url", url, "--flag", flag);
        assertOneLineError(noReason, 2, "--reason is required for a live migration");
        assertThat(fx.checksums()).isEqualTo(before);

        CliRun.Result live = operator.run("migrate", "--database-url", url, "--flag", flag, "--reason",
                "move v1 data of all tenants");

        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(live.out()).contains("MIGRATION RESULTS", "Status: ✓ SUCCESS", "Configs migrated: 3", "Backup: mb_");
        assertThat(live.out()).doesNotContain("Warnings"); // the audit call succeeded
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isEqualTo(3);
        String backupId = live.out().lines().filter(l -> l.startsWith("Backup: ")).findFirst().orElseThrow()
                .substring("Backup: ".length()).trim();

        JsonNode items = auditOf(flag);
        assertThat(items.size()).isEqualTo(1);
        JsonNode event = items.get(0);
        assertThat(event.path("action").asString()).isEqualTo("external.data_migration.run");
        assertThat(event.path("reason").asString()).isEqualTo("move v1 data of all tenants");
        assertThat(event.path("actorRole").asString()).isEqualTo("operator");
        assertThat(event.path("after").path("backupId").asString()).isEqualTo(backupId);
        assertThat(event.path("after").path("outcome").asString()).isEqualTo("success");
        assertThat(event.path("after").path("configsMigrated").asString()).isEqualTo("3");

        CliRun.Result human = admin.run("audit", "--flag", flag);
        assertThat(human.out()).contains("external.data_migration.run", "move v1 data of all tenants");
    }

    @Test
    void aFailingAuditCallIsAWarningAndTheMigrationStands() {
        CliRun unreachable = operator.withEnv("SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:1");
        CliRun.Result live = unreachable.run("migrate", "--database-url", url, "--reason", "no control plane",
                "-o", "json");

        assertThat(live.exit()).as(live.toString()).isZero();
        assertThat(live.json().path("status").asString()).isEqualTo("SUCCESS");
        assertThat(live.json().path("warnings").toString()).contains("Audit log not written",
                "cannot reach the control plane");
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isEqualTo(3);
    }

    @Test
    void stageNextMigratesExactlyTheTenantsThePreviewMoves() throws Exception {
        List<String> businesses = new ArrayList<>();
        fx.value("SELECT 1"); // the standard three, plus twenty more with a v1 config each
        for (int i = 0; i < 20; i++) {
            String id = UUID.randomUUID().toString();
            fx.update("INSERT INTO businesses (id, name, vertical) VALUES (?::uuid, ?, 'restaurant')", id, "B" + i);
            fx.update("INSERT INTO voice_agent_config (id, business_id, system_prompt, created_at, updated_at)"
                    + " VALUES (?::uuid, ?::uuid, 'Toma reservas', now(), now())", UUID.randomUUID().toString(), id);
        }
        businesses.addAll(ids("SELECT id::text FROM businesses"));
        Fixtures.registerTenantIds(admin, home, businesses);

        // a flag at 25% whose next stage (50%) moves some, but not all, of these businesses
        String flag = null;
        Set<String> expected = Set.of();
        JsonNode preview = null;
        for (int attempt = 0; attempt < 5 && (expected.isEmpty() || expected.size() == businesses.size()); attempt++) {
            flag = Fixtures.createFlag(true);
            assertThat(admin.run("rollout", "set", flag, "25", "--reason", "expansion").exit()).isZero();
            preview = Fixtures.getJson("/api/v1/flags/" + flag + "/preview?percentage=50");
            Set<String> moved = new TreeSet<>();
            preview.path("newlyOnV2").forEach(t -> moved.add(t.asString()));
            moved.retainAll(businesses);
            expected = moved;
        }
        assertThat(expected).isNotEmpty().hasSizeLessThan(businesses.size());

        CliRun.Result stage = operator.run("migrate", "--database-url", url, "--stage", "next", "--flag", flag,
                "--reason", "data moves with the majority stage", "-o", "json");

        assertThat(stage.exit()).as(stage.toString()).isZero();
        Set<String> scope = new TreeSet<>();
        stage.json().path("tenants").forEach(t -> scope.add(t.asString()));
        assertThat(scope).isEqualTo(expected);
        assertThat(new TreeSet<>(ids("SELECT DISTINCT business_id::text FROM voice_assistant_configs")))
                .isEqualTo(expected);
        if (preview.path("newlyOnV2").size() > expected.size()) {
            // other tests' tenants are registered too: they have no business here, and are named as left out
            assertThat(stage.err()).contains("warning: --stage next:", "have no business in the voice-agent database");
        }
        assertThat(auditOf(flag).valueStream().map(e -> e.path("action").asString()))
                .contains("external.data_migration.run");
    }

    @Test
    void dataRollbackRestoresAMigrationBackupExactlyAndListsBackupsWithoutAnId() {
        String flag = Fixtures.createFlag(true);
        Map<String, String> before = agentChecksums();
        CliRun.Result live = operator.run("migrate", "--database-url", url, "--flag", flag, "--reason", "migrate",
                "-o", "json");
        assertThat(live.exit()).as(live.toString()).isZero();
        String backupId = live.json().path("backupId").asString();
        assertThat(backupId).matches("mb_\\d{8}t\\d{6}_[0-9a-f]{6}");
        Map<String, String> migrated = agentChecksums();
        assertThat(migrated).isNotEqualTo(before);

        // without an id: both kinds listed, exit 2
        CliRun.Result list = operator.run("rollback", flag, "--level", "data", "--database-url", url,
                "--reason", "which?", "-o", "json");
        assertThat(list.exit()).as(list.toString()).isEqualTo(2);
        assertThat(list.json().path("snapshots").isArray()).isTrue();
        assertThat(list.json().path("migrationBackups").get(0).path("id").asString()).isEqualTo(backupId);
        assertThat(list.err()).contains("--backup-id required");
        CliRun.Result listText = operator.withEnv("SWITCHBOARD_AGENT_DB_URL", url)
                .run("rollback", flag, "--level", "data", "--reason", "which?");
        assertThat(listText.exit()).isEqualTo(2);
        assertThat(listText.out()).contains("Available snapshots (latest 5):", "Data-migration backups", backupId,
                "voice_assistant_configs (0)");
        CliRun.Result noDatabase = operator.run("rollback", flag, "--level", "data", "--reason", "which?", "-o", "json");
        assertThat(noDatabase.exit()).isEqualTo(2);
        assertThat(noDatabase.json().path("migrationBackups").isNull()).isTrue();

        // no terminal, no --yes: refused, nothing restored
        CliRun.Result unconfirmed = operator.run("rollback", flag, "--level", "data", "--backup-id", backupId,
                "--database-url", url, "--reason", "undo");
        assertThat(unconfirmed.exit()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("refusing a data rollback without confirmation");
        assertThat(agentChecksums()).isEqualTo(migrated);
        // a wrong name typed: cancelled
        CliRun.Result wrongName = operator.withPrompt(q -> Optional.of("nope")).run("rollback", flag, "--level",
                "data", "--backup-id", backupId, "--database-url", url, "--reason", "undo");
        assertThat(wrongName.exit()).isEqualTo(1);
        assertThat(agentChecksums()).isEqualTo(migrated);

        var asked = new java.util.concurrent.atomic.AtomicReference<String>();
        CliRun.Result restored = operator.withPrompt(q -> {
            asked.set(q);
            return Optional.of(flag);
        }).run("rollback", flag, "--level", "data", "--backup-id", backupId, "--database-url", url,
                "--reason", "undo the migration");
        assertThat(restored.exit()).as(restored.toString()).isZero();
        assertThat(asked.get()).contains("will be replaced with backup " + backupId, "Type the flag name (" + flag);
        assertThat(restored.out()).contains("✓ restored migration backup " + backupId, "checksums verified");
        assertThat(agentChecksums()).isEqualTo(before);
        assertThat(auditOf(flag).valueStream().map(e -> e.path("action").asString() + "|" + e.path("reason")
                .asString())).contains("external.data_migration.run|migrate",
                "external.data_migration.restore|undo the migration");

        // flag snapshots still restore by number, as before
        long snapshot = admin.run("snapshots", flag, "-o", "json").json().get(0).path("id").asLong();
        CliRun.Result bySnapshot = admin.run("rollback", flag, "--level", "data", "--backup-id",
                String.valueOf(snapshot), "--yes", "--reason", "snapshot", "-o", "json");
        assertThat(bySnapshot.exit()).as(bySnapshot.toString()).isZero();
        assertThat(bySnapshot.json().path("flag").path("name").asString()).isEqualTo(flag);
    }

    @Test
    void badInputIsOneLineAndAnExitCodeWithNothingWritten() {
        String flag = Fixtures.createFlag(true);
        Map<String, String> before = fx.checksums();

        assertOneLineError(operator.run("migrate", "--database-url", "jdbc:postgresql://127.0.0.1:1/agents",
                "--dry-run"), 3, "Cannot connect to the voice-agent database");
        assertOneLineError(operator.run("migrate", "--database-url", url, "--batch-size", "0", "--reason", "x"), 2,
                "--batch-size must be a positive number");
        assertOneLineError(operator.run("migrate", "--database-url", url, "--batch-size", "-5", "--dry-run"), 2,
                "--batch-size");
        assertOneLineError(operator.run("migrate", "--database-url", url, "--tenant-ids", "nope", "--dry-run"), 2,
                "Unknown tenant id");
        assertOneLineError(operator.run("migrate", "--database-url", url, "--skip-backup", "--reason", "x"), 2,
                "--skip-backup on a live run");
        assertOneLineError(operator.run("migrate", "--dry-run"), 2, "--database-url");
        assertOneLineError(operator.run("migrate", "--database-url", url, "--stage", "next", "--flag",
                "no_such_flag_x", "--dry-run"), 2, "not found (404)");
        CliRun.Result done = admin.run("rollout", "set", flag, "100", "--reason", "all in");
        assertThat(done.exit()).as(done.toString()).isZero();
        assertOneLineError(operator.run("migrate", "--database-url", url, "--stage", "next", "--flag", flag,
                "--dry-run"), 1, "is at its last stage");

        assertOneLineError(operator.run("rollback", flag, "--level", "data", "--backup-id",
                "mb_20990101t000000_abcdef", "--database-url", url, "--yes", "--reason", "x"), 2,
                "No migration backup with id 'mb_20990101t000000_abcdef'");
        assertOneLineError(operator.run("rollback", flag, "--level", "data", "--backup-id",
                "mb_20990101t000000_abcdef", "--yes", "--reason", "x"), 2, "is a data-migration backup: give "
                + "--database-url");
        assertOneLineError(operator.run("rollback", flag, "--level", "data", "--backup-id", "backup-7", "--yes",
                "--reason", "x"), 2, "must be a flag snapshot id (a number");
        assertOneLineError(operator.run("rollback", flag, "--level", "data", "--backup-id",
                "mb_20990101t000000_abcdef", "--database-url", "jdbc:postgresql://127.0.0.1:1/agents", "--yes",
                "--reason", "x"), 3, "Cannot connect to the voice-agent database");
        assertThat(fx.checksums()).isEqualTo(before);
    }

    @Test
    void helpShowsMigrateWithTheCliOptionsAndExitCodes() {
        CliRun.Result help = admin.run("migrate", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--database-url", "--dry-run", "--batch-size", "--tenant-ids", "--stage",
                "--force", "--skip-backup", "--yes", "--flag", "--reason", "-o, --output", "Exit codes:");
        assertThat(admin.run("--help").out()).contains("migrate");
    }

    private List<String> ids(String sql) {
        List<String> out = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
