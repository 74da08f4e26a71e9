package dev.switchboard.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code tenant allow|deny|clear|explain}: one tenant's override on a flag, and why it gets v1 or v2. */
@Command(name = "tenant", description = "Per-tenant overrides (allow, deny, clear) and explain a tenant's variant.",
        subcommands = {TenantCommand.Allow.class, TenantCommand.Deny.class, TenantCommand.Clear.class,
                TenantCommand.Explain.class})
final class TenantCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    abstract static class OverrideChange extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FLAG")
        String flag;
        @Parameters(index = "1", paramLabel = "TENANT")
        String tenant;
        @Mixin
        ReasonOption reason;

        int put(String mode, String done) {
            var response = api().send("PUT", flagPath(flag) + "/tenants/" + ApiClient.segment(tenant),
                    Map.of("mode", mode, "reason", reason.reason()), Map.of());
            FlagChange.of(response).print(output(), done);
            return ExitCodes.DONE;
        }
    }

    @Command(name = "allow", description = "Put TENANT on FLAG's allow list (v2 unless denied or disabled).")
    static final class Allow extends OverrideChange {
        @Override
        public Integer call() {
            return put("allow", "tenant " + tenant + " allowed (v2)");
        }
    }

    @Command(name = "deny", description = "Put TENANT on FLAG's deny list (always v1).")
    static final class Deny extends OverrideChange {
        @Override
        public Integer call() {
            return put("deny", "tenant " + tenant + " denied (v1)");
        }
    }

    @Command(name = "clear", description = "Take TENANT off both lists (the percentage decides again).")
    static final class Clear extends OverrideChange {
        @Override
        public Integer call() {
            var response = api().send("DELETE", flagPath(flag) + "/tenants/" + ApiClient.segment(tenant)
                    + ApiClient.queryString(Map.of("reason", reason.reason())), null, Map.of());
            FlagChange.of(response).print(output(), "override of tenant " + tenant + " cleared");
            return ExitCodes.DONE;
        }
    }

    @Command(name = "explain", description = "Which variant TENANT gets on FLAG, and why.")
    static final class Explain extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FLAG")
        String flag;
        @Parameters(index = "1", paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() {
            JsonNode e = api().get(flagPath(flag) + "/explain", Map.of("tenant", tenant));
            Output out = output();
            if (out.json()) {
                out.document(e);
                return ExitCodes.DONE;
            }
            Map<String, String> pairs = new LinkedHashMap<>();
            pairs.put("tenant", e.path("tenantId").asString());
            pairs.put("variant", e.path("variant").asString());
            pairs.put("reason", why(e));
            pairs.put("bucket", e.path("bucket").asInt() + " (v2 when bucket <= percentage " + e.path("percentage").asInt() + ")");
            pairs.put("revision", String.valueOf(e.path("revision").asLong()));
            out.pairs(pairs);
            return ExitCodes.DONE;
        }

        private static String why(JsonNode e) {
            return switch (e.path("reason").asString()) {
                case "disabled" -> "disabled: the flag is off, everyone is on v1";
                case "denied" -> "denied: on the deny list (deny always wins)";
                case "allowed" -> "allowed: on the allow list";
                case "bucket" -> "bucket: " + e.path("bucket").asInt() + (e.path("variant").asString().equals("v2")
                        ? " <= " : " > ") + e.path("percentage").asInt() + "%";
                default -> e.path("reason").asString();
            };
        }
    }
}
