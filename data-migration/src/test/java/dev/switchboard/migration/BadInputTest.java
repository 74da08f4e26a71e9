package dev.switchboard.migration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every bad input: one clear line, the exit code it maps to, and nothing written (checksums of every table). */
class BadInputTest {

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

    private MigrationException rejected(Executable run, MigrationException.Kind kind, String... fragments) {
        Map<String, String> before = fx.checksums();
        MigrationException[] caught = new MigrationException[1];
        assertThatThrownBy(run::execute).isInstanceOfSatisfying(MigrationException.class, e -> {
            caught[0] = e;
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).doesNotContain("\n").contains(fragments);
        });
        assertThat(fx.checksums()).as("nothing written").isEqualTo(before);
        return caught[0];
    }

    @Test
    void unreachableDatabase() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        AgentDatabase nowhere = new AgentDatabase("jdbc:postgresql://127.0.0.1:" + closedPort + "/agents",
                "postgres", "secret");
        MigrationException e = rejected(() -> fx.migration().migrate(MigrationOptions.builder(nowhere).build()),
                MigrationException.Kind.DATABASE_UNREACHABLE, "Cannot connect to the voice-agent database",
                "127.0.0.1:" + closedPort);
        assertThat(e.exitCode()).isEqualTo(3);
        assertThat(e.getMessage()).doesNotContain("secret");
    }

    @Test
    void notAPostgresUrl() {
        assertThatThrownBy(() -> AgentDatabase.of("mysql://localhost/agents"))
                .isInstanceOfSatisfying(MigrationException.class,
                        e -> assertThat(e.kind()).isEqualTo(MigrationException.Kind.INVALID_OPTION));
    }

    @Test
    void missingSourceTable() {
        fx.update("DROP TABLE voice_agent_config");
        MigrationException e = rejected(() -> fx.migration().migrate(fx.options().build()),
                MigrationException.Kind.SCHEMA_MISMATCH, "source table voice_agent_config is missing");
        assertThat(e.exitCode()).isEqualTo(3);
    }

    @Test
    void missingTargetTableOrNewColumn() {
        fx.update("DROP TABLE voice_assistant_metrics");
        fx.update("ALTER TABLE voice_calls DROP COLUMN outcome");
        rejected(() -> fx.migration().migrate(fx.options().build()), MigrationException.Kind.SCHEMA_MISMATCH,
                "target table (created by the v2 schema) voice_assistant_metrics is missing",
                "voice_calls.outcome is missing");
    }

    @Test
    void wrongColumnType() {
        fx.update("ALTER TABLE voice_calls ALTER COLUMN avg_latency_ms TYPE text");
        rejected(() -> fx.migration().migrate(fx.options().build()), MigrationException.Kind.SCHEMA_MISMATCH,
                "voice_calls.avg_latency_ms has type text, expected");
    }

    @Test
    void unknownTenantId() {
        MigrationException e = rejected(() -> fx.migration().migrate(fx.options()
                        .tenantIds(Set.of(data.dental(), "no-such-tenant")).build()),
                MigrationException.Kind.UNKNOWN_TENANT, "Unknown tenant id", "no-such-tenant");
        assertThat(e.getMessage()).doesNotContain(data.dental());
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void tenantIdsInUpperCaseStillMatchUuids() {
        MigrationResult result = fx.migration().migrate(fx.options()
                .tenantIds(Set.of(data.dental().toUpperCase())).build());
        assertThat(result.configsMigrated()).isEqualTo(1);
    }

    @Test
    void batchSizeZeroOrNegative() {
        for (int size : new int[] {0, -5}) {
            MigrationException e = rejected(() -> fx.migration().migrate(fx.options().batchSize(size).build()),
                    MigrationException.Kind.INVALID_OPTION, "--batch-size must be a positive number",
                    String.valueOf(size));
            assertThat(e.exitCode()).isEqualTo(2);
        }
    }

    @Test
    void skipBackupOnALiveRunWithoutConfirmation() {
        rejected(() -> fx.migration().migrate(fx.options().skipBackup(true, false).build()),
                MigrationException.Kind.INVALID_OPTION, "--skip-backup", "--yes");
        // with --dry-run it is fine
        assertThat(fx.migration().migrate(fx.options().dryRun(true).skipBackup(true, false).build()).succeeded())
                .isTrue();
    }

    @Test
    void unknownBackupIdBeforeAnyBackupAndAfterOne() {
        rejected(() -> fx.migration().restore(fx.database(), "mb_nope"), MigrationException.Kind.UNKNOWN_BACKUP,
                "No migration backup with id 'mb_nope'");
        fx.migration().migrate(fx.options().build());
        MigrationException e = rejected(() -> fx.migration().restore(fx.database(), "mb_nope"),
                MigrationException.Kind.UNKNOWN_BACKUP, "No migration backup with id 'mb_nope'");
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void orphanedCallsFailValidationAndNothingIsWritten() {
        fx.call("orphan", null, "completed", null, 1, 10, 10);
        Map<String, String> before = fx.checksums();

        MigrationResult result = fx.migration().migrate(fx.options().build());

        assertThat(result.status()).isEqualTo(MigrationResult.Status.FAILED);
        assertThat(result.errors()).singleElement().asString()
                .startsWith("Found 1 orphaned call without a business in voice_calls (e.g. "
                        + AgentDbFixture.id("call-orphan"));
        assertThat(fx.checksums()).isEqualTo(before);
    }
}
