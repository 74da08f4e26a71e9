package dev.switchboard.migration.cli;

import dev.switchboard.migration.AgentDbFixture;
import dev.switchboard.migration.MigrationAuditSink;
import dev.switchboard.migration.VoiceAgentMigration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MigrateCommandTest {

    private AgentDbFixture fx;
    private AgentDbFixture.Standard data;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        fx = new AgentDbFixture();
        data = fx.standard();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private int run(Optional<Set<String>> stage, String... args) {
        CommandLine cli = new CommandLine(new MigrateCommand(new VoiceAgentMigration(AgentDbFixture.CLOCK,
                MigrationAuditSink.NONE), stage.map(s -> () -> s), Optional.of(false)));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        all[0] = "--database-url";
        all[1] = fx.database().jdbcUrl() + "?user=postgres";
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.execute(all);
    }

    @Test
    void stageNextMigratesTheTenantsTheControlPlaneNames() {
        int code = run(Optional.of(Set.of(data.dental())), "--stage", "next", "-o", "json");

        assertThat(code).isZero();
        assertThat(out.toString()).startsWith("{\"status\":\"SUCCESS\"").contains("\"configsMigrated\":1")
                .contains("\"tenants\":[\"" + data.dental() + "\"]");
        assertThat(err.toString()).contains("[1/5] Validating current data...").contains("[5/5] Verifying migration");
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isEqualTo(1);
    }

    @Test
    void textSummaryLikeTheLegacyScript() {
        int code = run(Optional.empty(), "--dry-run", "--batch-size", "2");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("MIGRATION RESULTS (DRY RUN)", "Status: ✓ SUCCESS", "Configs migrated: 3",
                "Calls processed: 13");
        assertThat(err.toString()).contains("configs 2/3", "configs 3/3", "[DRY RUN] Would create a backup");
    }

    @Test
    void badInputMapsToOneLineAndAnExitCode() {
        assertThat(run(Optional.empty(), "--batch-size", "0")).isEqualTo(2);
        assertThat(run(Optional.empty(), "--tenant-ids", "nope,also-nope")).isEqualTo(2);
        assertThat(run(Optional.empty(), "--stage", "next")).isEqualTo(2);
        assertThat(run(Optional.of(Set.of()), "--stage", "next", "--tenant-ids", "a")).isEqualTo(2);
        assertThat(run(Optional.empty(), "--skip-backup")).isEqualTo(2);
        assertThat(run(Optional.empty(), "-o", "yaml")).isEqualTo(2);
        fx.update("ALTER TABLE voice_calls ALTER COLUMN status TYPE integer USING 0");
        assertThat(run(Optional.empty())).isEqualTo(3);
        assertThat(err.toString().lines().filter(l -> l.startsWith("error: ")).toList()).hasSize(7);
        assertThat(out.toString()).isEmpty();
        assertThat(fx.count("SELECT count(*) FROM voice_assistant_configs")).isZero();
        assertThat(fx.value("SELECT to_regclass('switchboard_migration_backups')")).isNull();
    }
}
