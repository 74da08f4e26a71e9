package dev.switchboard.cli;

import static dev.switchboard.cli.CliCommandsTest.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The four rollback levels from the CLI with the legacy script's checks, confirmations, and the audit trail. */
class RollbackCommandTest {

    @TempDir
    static Path home;

    static CliRun admin;
    static CliRun operator;

    @BeforeAll
    static void clients() {
        admin = CliRun.as(ControlPlaneServer.ADMIN_TOKEN, home);
        operator = CliRun.as(Fixtures.createToken(admin, "operator"), home);
    }

    @Test
    void fourLevelsEndToEndAndInTheAudit() throws Exception {
        String flag = Fixtures.createFlag(true);
        String tenant = Fixtures.registerTenants(admin, home, 1).get(0);
        assertThat(operator.run("rollout", "set", flag, "10", "--reason", "stage 1").exit()).isZero();
        assertThat(operator.run("rollout", "set", flag, "25", "--reason", "stage 2").exit()).isZero();

        CliRun.Result byTenant = operator.run("rollback", flag, "--level", "tenant", "--tenant-id", tenant,
                "--reason", "tenant reports dropped calls");
        assertThat(byTenant.exit()).as(byTenant.toString()).isZero();
        assertThat(byTenant.out()).contains("ROLLBACK " + flag + " - Level: TENANT",
                "✓ tenant " + tenant + " rolled back to v1", "deny 1");

        CliRun.Result partial = operator.run("rollback", flag, "--level", "partial", "--percentage", "10",
                "--reason", "error rate up", "-o", "json");
        assertThat(partial.exit()).as(partial.toString()).isZero();
        assertThat(partial.json().path("flag").path("percentage").asInt()).isEqualTo(10);
        assertThat(partial.out()).doesNotContain("ROLLBACK"); // JSON mode: stdout is one document

        // total needs an admin and a confirmation: the typed flag name here
        var asked = new java.util.concurrent.atomic.AtomicReference<String>();
        CliRun.Result total = admin.withPrompt(question -> {
            asked.set(question);
            return Optional.of(flag);
        }).run("rollback", flag, "--level", "total", "--reason", "incident 42");
        assertThat(total.exit()).as(total.toString()).isZero();
        assertThat(total.out()).contains("✓ total rollback complete", "DISABLED", "0%");
        assertThat(asked.get()).contains("WARNING: every tenant of " + flag + " goes back to v1",
                "Type the flag name (" + flag + ") to confirm");

        JsonNode snapshots = admin.run("snapshots", flag, "-o", "json").json();
        long atStage2 = snapshots.valueStream().filter(s -> s.path("reason").asString().equals("stage 2"))
                .findFirst().orElseThrow().path("id").asLong();
        CliRun.Result data = admin.run("rollback", flag, "--level", "data", "--backup-id", String.valueOf(atStage2),
                "--yes", "--reason", "restore pre-incident state", "-o", "json");
        assertThat(data.exit()).as(data.toString()).isZero();
        JsonNode restored = data.json().path("flag");
        assertThat(restored.path("enabled").asBoolean()).isTrue();
        assertThat(restored.path("percentage").asInt()).isEqualTo(25);
        assertThat(restored.path("denyTenants").isEmpty()).isTrue();

        JsonNode audit = admin.run("audit", "--flag", flag, "-o", "json").json();
        List<String> rows = audit.path("items").valueStream()
                .map(e -> e.path("action").asString() + "|" + e.path("reason").asString()).toList();
        assertThat(rows).contains("rollback.tenant|tenant reports dropped calls", "rollback.partial|error rate up",
                "rollback.total|incident 42", "rollback.data|restore pre-incident state");
        CliRun.Result human = admin.run("audit", "--flag", flag, "--tenant", tenant);
        assertThat(human.out()).contains("rollback.tenant", tenant, "tenant reports dropped calls");
    }

    @Test
    void theLegacyScriptsChecksAreUsageErrors() {
        String flag = Fixtures.createFlag(true);
        assertOneLineError(operator.run("rollback", flag, "--level", "tenant", "--reason", "x"), ExitCodes.USAGE,
                "--tenant-id required for tenant rollback");
        assertOneLineError(operator.run("rollback", flag, "--level", "partial", "--reason", "x"), ExitCodes.USAGE,
                "Invalid percentage");
        assertOneLineError(operator.run("rollback", flag, "--level", "partial", "--percentage", "abc", "--reason", "x"),
                ExitCodes.USAGE, "Invalid percentage 'abc'");
        assertOneLineError(operator.run("rollback", flag, "--level", "partial", "--percentage", "150", "--reason", "x"),
                ExitCodes.USAGE, "Invalid percentage '150'");
        assertOneLineError(operator.run("rollback", flag, "--level", "everything", "--reason", "x"), ExitCodes.USAGE,
                "invalid rollback level 'everything'");
        assertOneLineError(operator.run("rollback", flag, "--level", "total", "--tenant-id", "t1", "--reason", "x"),
                ExitCodes.USAGE, "--level total takes only no level option");
        CliRun.Result noLevel = operator.run("rollback", flag, "--reason", "x");
        assertThat(noLevel.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noLevel.err()).contains("Missing required option: '--level=LEVEL'");
        CliRun.Result noReason = operator.run("rollback", flag, "--level", "total", "--yes");
        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        // raising the percentage is not a rollback: the server says so, naming the rule
        assertOneLineError(operator.run("rollback", flag, "--level", "partial", "--percentage", "50", "--reason", "x"),
                ExitCodes.USAGE, "percentage: a partial rollback must lower the percentage");
        // total rollback is admin-only
        assertOneLineError(operator.run("rollback", flag, "--level", "total", "--yes", "--reason", "x"),
                ExitCodes.REFUSED, "refused (403)");
    }

    @Test
    void dataWithoutBackupIdListsTheLatestFiveSnapshotsAndFails() {
        String flag = Fixtures.createFlag(true);
        for (int p = 1; p <= 7; p++) {
            assertThat(operator.run("rollout", "set", flag, String.valueOf(p), "--reason", "step " + p).exit()).isZero();
        }
        CliRun.Result human = admin.run("rollback", flag, "--level", "data", "--reason", "x");
        assertThat(human.exit()).as(human.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(human.out()).contains("Available snapshots (latest 5):", "step 7", "step 3").doesNotContain("step 2");
        assertThat(human.err().strip()).isEqualTo(
                "error: --backup-id required for data rollback (choose one of the snapshot ids above)");

        CliRun.Result json = admin.run("rollback", flag, "--level", "data", "--reason", "x", "-o", "json");
        assertThat(json.exit()).isEqualTo(ExitCodes.USAGE);
        JsonNode latest = json.json().path("snapshots");
        assertThat(latest.size()).isEqualTo(5);
        assertThat(latest.get(0).path("reason").asString()).isEqualTo("step 7");
        assertThat(latest.get(0).has("id")).isTrue();
        assertThat(latest.get(0).path("state").has("percentage")).isTrue();

        assertOneLineError(admin.run("rollback", flag, "--level", "data", "--backup-id", "x1", "--yes", "--reason", "x"),
                ExitCodes.USAGE, "invalid --backup-id 'x1'");
        assertOneLineError(admin.run("rollback", flag, "--level", "data", "--backup-id", "99999999", "--yes",
                "--reason", "x"), ExitCodes.USAGE, "not found (404)");
    }

    @Test
    void totalAndDataRefuseWithoutATerminalAndCancelOnAWrongName() {
        String flag = Fixtures.createFlag(true);
        assertThat(operator.run("rollout", "set", flag, "10", "--reason", "stage 1").exit()).isZero();

        // no terminal (System.console() == null in a script) and no --yes: refuse at once, change nothing
        CliRun.Result total = admin.run("rollback", flag, "--level", "total", "--reason", "x");
        assertOneLineError(total, ExitCodes.USAGE, "refusing a total rollback without confirmation: there is no "
                + "terminal to ask on; pass --yes");
        long snapshot = admin.run("snapshots", flag, "-o", "json").json().get(0).path("id").asLong();
        assertOneLineError(admin.run("rollback", flag, "--level", "data", "--backup-id", String.valueOf(snapshot),
                "--reason", "x"), ExitCodes.USAGE, "refusing a data rollback without confirmation");

        CliRun.Result cancelled = admin.withPrompt(question -> Optional.of("voice_agent_v2")).run("rollback", flag,
                "--level", "total", "--reason", "x");
        assertOneLineError(cancelled, ExitCodes.REFUSED, "rollback cancelled");

        JsonNode state = admin.run("status", flag, "-o", "json").json().path("flag");
        assertThat(state.path("enabled").asBoolean()).isTrue();
        assertThat(state.path("percentage").asInt()).isEqualTo(10);

        CliRun.Result scripted = admin.run("rollback", flag, "--level", "total", "--yes", "--reason", "scripted");
        assertThat(scripted.exit()).as(scripted.toString()).isZero();
    }
}
