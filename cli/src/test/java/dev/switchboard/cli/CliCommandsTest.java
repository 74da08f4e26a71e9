package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every command but rollback against the real control plane: output, JSON shape and exit code. */
class CliCommandsTest {

    @TempDir
    static Path home;

    static CliRun admin;
    static CliRun operator;
    static CliRun viewer;

    @BeforeAll
    static void tokens() {
        admin = CliRun.as(ControlPlaneServer.ADMIN_TOKEN, home);
        operator = CliRun.as(createToken("operator"), home);
        viewer = CliRun.as(createToken("viewer"), home);
    }

    static String createToken(String role) {
        return Fixtures.createToken(admin, role);
    }

    static List<String> registerTenants(int count) throws Exception {
        return Fixtures.registerTenants(admin, home, count);
    }

    static void assertOneLineError(CliRun.Result result, int exit, String contains) {
        assertThat(result.exit()).as(result.toString()).isEqualTo(exit);
        assertThat(result.err().strip()).as(result.toString()).contains(contains).doesNotContain("\n")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        CliRun.Result help = admin.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("status", "rollout", "tenant", "rollback", "snapshots", "audit", "alerts",
                "tenants", "tokens", "completion", "Exit codes:", "0   done", "1   refused", "2   usage error",
                "3   cannot reach or authenticate");
        // every subcommand answers --help (the error messages tell people to run it)
        for (String[] command : new String[][] {{"audit"}, {"rollback"}, {"rollout", "advance"}, {"migrate"}, {"tenant", "explain"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun.Result sub = admin.run(args);
            assertThat(sub.exit()).as(String.join(" ", args)).isZero();
            assertThat(sub.out()).as(String.join(" ", args)).contains("Usage: switchboard " + String.join(" ", command));
        }
    }

    @Test
    void statusOfAllFlagsAndOfOneFlag() throws Exception {
        String flag = Fixtures.createFlag(true);
        List<String> tenants = registerTenants(3);
        assertThat(operator.run("tenant", "allow", flag, tenants.get(0), "--reason", "pilot").exit()).isZero();

        CliRun.Result table = viewer.run("status");
        assertThat(table.exit()).as(table.toString()).isZero();
        // the guard serves alerts: the status shows them (or "none active"), never "not available"
        assertThat(table.out()).contains("FLAG", "STAGE", flag, "alerts:").doesNotContain("not available");

        JsonNode all = viewer.run("status", "-o", "json").json();
        assertThat(all.path("flags").isArray()).isTrue();
        assertThat(all.path("flags").valueStream().map(f -> f.path("name").asString())).contains(flag);
        assertThat(all.has("alerts")).isTrue();

        CliRun.Result one = viewer.run("status", flag);
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.out()).contains(flag + " (enabled)", "0%, stage canary", "allow list", tenants.get(0),
                "tenants on v2", "v1 vs v2");

        CliRun.Result json = viewer.run("status", flag, "-o", "json");
        JsonNode doc = json.json();
        assertThat(doc.path("flag").path("name").asString()).isEqualTo(flag);
        assertThat(doc.path("flag").path("allowTenants").get(0).asString()).isEqualTo(tenants.get(0));
        assertThat(doc.path("tenants").path("onV2").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(doc.path("tenants").path("registered").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(doc.has("comparison")).isTrue();
        assertThat(doc.has("alerts")).isTrue();

        assertOneLineError(viewer.run("status", "no_such_flag"), ExitCodes.USAGE, "not found (404)");
    }

    @Test
    void rolloutSetIsIdempotentChecksRevisionAndRole() {
        String flag = Fixtures.createFlag(true);
        CliRun.Result set = operator.run("rollout", "set", flag, "10", "--reason", "early adopters", "-o", "json");
        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.json().path("changed").asBoolean()).isTrue();
        assertThat(set.json().path("flag").path("percentage").asInt()).isEqualTo(10);
        assertThat(set.json().path("flag").path("stage").asString()).isEqualTo("early-adopters");
        long revision = set.json().path("flag").path("revision").asLong();

        CliRun.Result again = operator.run("rollout", "set", flag, "10", "--reason", "again");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("nothing to change");

        CliRun.Result human = operator.run("rollout", "set", flag, "25", "--reason", "expansion",
                "--if-revision", String.valueOf(revision));
        assertThat(human.exit()).as(human.toString()).isZero();
        assertThat(human.out()).contains("✓ rollout set to 25%", "stage expansion");

        assertOneLineError(operator.run("rollout", "set", flag, "50", "--reason", "stale", "--if-revision",
                String.valueOf(revision)), ExitCodes.REFUSED, "refused (409)");
        // operators may only go up to the next stage; 100 needs an admin
        assertOneLineError(operator.run("rollout", "set", flag, "100", "--reason", "all"), ExitCodes.REFUSED,
                "refused (403)");
        assertOneLineError(viewer.run("rollout", "set", flag, "50", "--reason", "viewer"), ExitCodes.REFUSED,
                "refused (403)");

        CliRun.Result outOfRange = operator.run("rollout", "set", flag, "101", "--reason", "x");
        assertThat(outOfRange.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(outOfRange.err()).contains("PERCENT must be between 0 and 100");
        CliRun.Result noReason = operator.run("rollout", "set", flag, "50");
        assertThat(noReason.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");
        assertThat(operator.run("rollout", "set", flag, "ten", "--reason", "x").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void rolloutAdvanceAndPlanAreClearWhenTheGuardIsNotThere() {
        String flag = Fixtures.createFlag(true);
        CliRun.Result advance = operator.run("rollout", "advance", flag, "--reason", "criteria met");
        CliRun.Result plan = viewer.run("rollout", "plan", flag);
        if (advance.err().contains("does not offer")) {
            // the guard's endpoints are not on this control plane: one line, exit 1
            assertOneLineError(advance, ExitCodes.REFUSED, "does not offer POST /api/v1/flags/" + flag + "/advance");
            assertOneLineError(plan, ExitCodes.REFUSED, "does not offer GET /api/v1/flags/" + flag + "/plan");
        } else {
            // with the guard: advanced, or refused with the failing criteria
            assertThat(advance.exit()).as(advance.toString()).isIn(ExitCodes.DONE, ExitCodes.REFUSED);
            assertThat(plan.exit()).as(plan.toString()).isZero();
        }
        assertThat(operator.run("rollout", "advance", flag).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void tenantOverridesAndExplain() throws Exception {
        String flag = Fixtures.createFlag(true);
        String tenant = registerTenants(1).get(0);

        CliRun.Result allow = operator.run("tenant", "allow", flag, tenant, "--reason", "pilot customer");
        assertThat(allow.exit()).as(allow.toString()).isZero();
        assertThat(allow.out()).contains("✓ tenant " + tenant + " allowed", "allow 1");
        JsonNode explained = viewer.run("tenant", "explain", flag, tenant, "-o", "json").json();
        assertThat(explained.path("tenantId").asString()).isEqualTo(tenant);
        assertThat(explained.path("variant").asString()).isEqualTo("v2");
        assertThat(explained.path("reason").asString()).isEqualTo("allowed");
        assertThat(explained.has("bucket")).isTrue();

        JsonNode denied = operator.run("tenant", "deny", flag, tenant, "--reason", "complaint", "-o", "json").json();
        assertThat(denied.path("flag").path("denyTenants").get(0).asString()).isEqualTo(tenant);
        assertThat(denied.path("flag").path("allowTenants").isEmpty()).isTrue();
        CliRun.Result why = viewer.run("tenant", "explain", flag, tenant);
        assertThat(why.out()).contains("variant", "v1", "denied: on the deny list");

        CliRun.Result cleared = operator.run("tenant", "clear", flag, tenant, "--reason", "resolved", "-o", "json");
        assertThat(cleared.exit()).isZero();
        assertThat(cleared.json().path("flag").path("denyTenants").isEmpty()).isTrue();
        assertThat(viewer.run("tenant", "explain", flag, tenant, "-o", "json").json().path("reason").asString())
                .isEqualTo("bucket");

        assertOneLineError(operator.run("tenant", "allow", flag, "no-such-tenant", "--reason", "x"),
                ExitCodes.USAGE, "not found (404)");
        assertThat(operator.run("tenant", "allow", flag, tenant).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(operator.run("tenant", "block", flag, tenant, "--reason", "x").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void snapshotsAndAudit() {
        String flag = Fixtures.createFlag(true);
        for (int p : new int[] {5, 10, 15}) {
            assertThat(operator.run("rollout", "set", flag, String.valueOf(p), "--reason", "step " + p).exit()).isZero();
        }
        CliRun.Result snapshots = viewer.run("snapshots", flag);
        assertThat(snapshots.out()).contains("ID", "REVISION", "on 15%", "step 15");
        JsonNode list = viewer.run("snapshots", flag, "--limit", "2", "-o", "json").json();
        assertThat(list.size()).isEqualTo(2);
        assertThat(list.get(0).path("state").path("percentage").asInt()).isEqualTo(15);
        assertThat(list.get(0).has("id")).isTrue();

        CliRun.Result audit = viewer.run("audit", "--flag", flag, "--since", "1h", "--limit", "2");
        assertThat(audit.exit()).as(audit.toString()).isZero();
        assertThat(audit.out()).contains("ACTION", "flag.percentage.set", "step 15");
        assertThat(audit.err()).contains("more: add --before");
        JsonNode page = viewer.run("audit", "--flag", flag, "--limit", "2", "-o", "json").json();
        assertThat(page.path("items").size()).isEqualTo(2);
        assertThat(page.path("items").get(0).path("reason").asString()).isEqualTo("step 15");
        long before = page.path("nextBefore").asLong();
        JsonNode older = viewer.run("audit", "--flag", flag, "--before", String.valueOf(before), "-o", "json").json();
        assertThat(older.path("items").valueStream().map(i -> i.path("reason").asString())).contains("step 5");

        assertThat(viewer.run("audit", "--flag", flag, "--since", "2099-01-01T00:00:00Z").out())
                .contains("no audit events match");
        assertOneLineError(viewer.run("audit", "--since", "yesterday"), ExitCodes.USAGE, "invalid --since");
        assertOneLineError(viewer.run("audit", "--limit", "9999"), ExitCodes.USAGE, "limit");
    }

    @Test
    void alertsAreClearWhenTheGuardIsNotThere() {
        CliRun.Result alerts = viewer.run("alerts");
        if (alerts.err().contains("does not offer")) {
            assertOneLineError(alerts, ExitCodes.REFUSED, "does not offer GET /api/v1/alerts");
            assertOneLineError(operator.run("alerts", "ack", "1", "--reason", "on it"), ExitCodes.REFUSED,
                    "does not offer POST /api/v1/alerts/1/ack");
        } else {
            assertThat(alerts.exit()).as(alerts.toString()).isZero();
        }
        assertThat(operator.run("alerts", "ack", "one", "--reason", "x").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void tenantsImportCsvAndJsonAllOrNothing() throws Exception {
        // identifiers left empty: this test is about the CLI's all-or-nothing import; identifier parsing and
        // ownership clashes are the control plane's (BadInputTest, RoleMatrixTest)
        String a = Fixtures.unique("csv");
        String b = Fixtures.unique("csv");
        String header = "id,displayName,tier,monthlyCalls,internal,identifiers\n";
        Path csv = Files.writeString(home.resolve(a + ".csv"), header + a + ",Clinic A,gold,100,false,\n"
                + b + ",Clinic B,silver,10,false,\n", StandardCharsets.UTF_8);
        CliRun.Result imported = admin.run("tenants", "import", csv.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("✓ imported 2 tenants, 0 identifiers");
        JsonNode listed = viewer.run("tenants", "list", "--search", a, "-o", "json").json();
        assertThat(listed.path("items").get(0).path("id").asString()).isEqualTo(a);
        assertThat(viewer.run("tenants", "list", "--search", b).out()).contains(b, "Clinic B");

        String c = Fixtures.unique("json");
        Path json = Files.writeString(home.resolve(c + ".txt"), "[{\"id\":\"" + c + "\",\"displayName\":\"C\"}]");
        JsonNode report = admin.run("tenants", "import", json.toString(), "-o", "json").json();
        assertThat(report.path("imported").asInt()).isEqualTo(1);
        assertThat(report.has("identifiers")).isTrue();

        // one bad row: the whole file is refused, the server's first violation named on one line
        String d = Fixtures.unique("csv");
        Path bad = Files.writeString(home.resolve(d + ".csv"), header + d + ",Clinic D,gold,lots,false,\n");
        assertOneLineError(admin.run("tenants", "import", bad.toString()), ExitCodes.USAGE,
                "rows[0].monthlyCalls");
        assertThat(viewer.run("tenants", "list", "--search", d, "-o", "json").json().path("items").isEmpty()).isTrue();
        assertOneLineError(admin.run("tenants", "import", home.resolve("missing.csv").toString()), ExitCodes.USAGE,
                "cannot read");
        assertOneLineError(operator.run("tenants", "import", csv.toString()), ExitCodes.REFUSED, "refused (403)");
    }

    @Test
    void tokensCreateListRevokeAndTheTokenIsNeverPrinted() {
        CliRun.Result created = admin.run("tokens", "create", "--name", Fixtures.unique("ci"), "--role", "viewer");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.err()).contains("not shown again");
        String[] lines = created.out().strip().split("\n");
        String token = lines[lines.length - 1].strip();
        long id = Long.parseLong(created.out().replaceAll("(?s)^token (\\d+) .*", "$1"));

        CliRun asNew = CliRun.as(token, home);
        assertThat(asNew.run("status").exit()).isZero();
        JsonNode tokens = admin.run("tokens", "list", "-o", "json").json();
        assertThat(tokens.toString()).doesNotContain(token);

        CliRun.Result revoked = admin.run("tokens", "revoke", String.valueOf(id), "-o", "json");
        assertThat(revoked.exit()).isZero();
        assertThat(revoked.json().path("revoked").asBoolean()).isTrue();
        CliRun.Result rejected = asNew.run("status");
        assertOneLineError(rejected, ExitCodes.UNREACHABLE, "did not accept the token (from SWITCHBOARD_TOKEN)");
        assertThat(rejected.out() + rejected.err()).doesNotContain(token);

        CliRun.Result wrong = admin.run("--token", "s3cret-wrong-token", "status");
        assertOneLineError(wrong, ExitCodes.UNREACHABLE, "did not accept the token (from --token)");
        assertThat(wrong.out() + wrong.err()).doesNotContain("s3cret-wrong-token");

        assertOneLineError(admin.run("tokens", "revoke", "999999"), ExitCodes.USAGE, "not found (404)");
        assertOneLineError(operator.run("tokens", "create", "--name", "x", "--role", "admin"), ExitCodes.REFUSED,
                "refused (403)");
        assertOneLineError(admin.run("tokens", "create", "--name", "x", "--role", "king"), ExitCodes.USAGE, "role");
    }

    @Test
    void serverAndTokenFromTheConfigFileAndUnreachableServers() throws Exception {
        Path configHome = home.resolve(Fixtures.unique("xdg"));
        Files.createDirectories(configHome.resolve("switchboard"));
        Files.writeString(configHome.resolve("switchboard/config.properties"),
                "server=" + ControlPlaneServer.get().url() + "/\ntoken=" + ControlPlaneServer.ADMIN_TOKEN + "\n");
        CliRun fromFile = new CliRun(java.util.Map.of("XDG_CONFIG_HOME", configHome.toString()), home,
                question -> java.util.Optional.empty());
        CliRun.Result status = fromFile.run("status", "-o", "json");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).doesNotContain(ControlPlaneServer.ADMIN_TOKEN);

        // the environment wins over the file, the command line over both
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun.Result refused = fromFile.withEnv("SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:" + closed)
                .run("status");
        assertOneLineError(refused, ExitCodes.UNREACHABLE, "cannot reach the control plane at http://127.0.0.1:"
                + closed + ": connection refused");
        assertThat(fromFile.withEnv("SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:" + closed)
                .run("--server", ControlPlaneServer.get().url(), "status").exit()).isZero();

        CliRun noToken = new CliRun(java.util.Map.of("XDG_CONFIG_HOME", home.resolve("empty").toString(),
                "SWITCHBOARD_CONTROL_PLANE_URL", ControlPlaneServer.get().url()), home, q -> java.util.Optional.empty());
        assertOneLineError(noToken.run("status"), ExitCodes.UNREACHABLE, "no API token");
        assertOneLineError(admin.run("--server", "ftp://nowhere", "status"), ExitCodes.USAGE, "not an http(s) URL");
        assertThat(admin.run("status", "-o", "yaml").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void completionScript() {
        CliRun.Result script = admin.run("completion");
        assertThat(script.exit()).isZero();
        assertThat(script.out()).contains("complete -F", "switchboard", "rollback", "--backup-id", "tenants");
    }
}
