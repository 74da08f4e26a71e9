package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * Where the rollout stands: every flag, or one flag with its stage, how many registered tenants are on v2,
 * v1 against v2 over the last five minutes and the active alerts. Comparison and alerts come from the guard;
 * when the control plane does not offer them yet, status says so and still succeeds.
 */
@Command(name = "status", description = "Rollout state: all flags, or one flag with tenants on v2, v1 vs v2 and alerts.")
final class StatusCommand extends ApiCommand {

    @Parameters(arity = "0..1", paramLabel = "FLAG", description = "one flag (default: all flags)")
    String flag;

    @Override
    public Integer call() {
        ApiClient api = api();
        Output out = output();
        return flag == null ? all(api, out) : one(api, out);
    }

    private int all(ApiClient api, Output out) {
        JsonNode flags = api.get("/api/v1/flags");
        Optional<JsonNode> alerts = optional(api, "/api/v1/alerts", Map.of());
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("flags", flags);
            doc.put("alerts", alerts.orElse(null));
            out.document(doc);
            return ExitCodes.DONE;
        }
        if (flags.isEmpty()) {
            out.line("no flags yet (create one with the API: POST /api/v1/flags)");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode f : flags) {
                rows.add(List.of(f.path("name").asString(), f.path("enabled").asBoolean() ? "yes" : "no",
                        f.path("percentage").asInt() + "%", f.path("stage").asString(),
                        String.valueOf(f.path("allowTenants").size()), String.valueOf(f.path("denyTenants").size()),
                        String.valueOf(f.path("revision").asLong()), Output.cell(f.path("updatedAt"))));
            }
            if (!out.json()) {
                out.print(List.of("FLAG", "ENABLED", "PERCENT", "STAGE", "ALLOW", "DENY", "REVISION", "UPDATED"), rows);
            }
        }
        alertsLine(out, alerts);
        return ExitCodes.DONE;
    }

    private int one(ApiClient api, Output out) {
        JsonNode state = api.get(flagPath(flag));
        JsonNode preview = api.get(flagPath(flag) + "/preview", Map.of("percentage", state.path("percentage").asInt()));
        Optional<JsonNode> comparison = optional(api, flagPath(flag) + "/comparison", Map.of("window", "5m"));
        Optional<JsonNode> alerts = optional(api, "/api/v1/alerts", Map.of("flag", flag));
        // preview counts tenants as if enabled; a disabled flag has nobody on v2
        int onV2 = state.path("enabled").asBoolean() ? preview.path("onV2").asInt() : 0;
        int total = preview.path("totalTenants").asInt();
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("flag", state);
            doc.put("tenants", Map.of("registered", total, "onV2", onV2));
            doc.put("comparison", comparison.orElse(null));
            doc.put("alerts", alerts.orElse(null));
            out.document(doc);
            return ExitCodes.DONE;
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("flag", state.path("name").asString() + (state.path("enabled").asBoolean() ? " (enabled)" : " (DISABLED: everyone on v1)"));
        pairs.put("rollout", state.path("percentage").asInt() + "%, stage " + state.path("stage").asString());
        pairs.put("tenants on v2", onV2 + " of " + total + " registered");
        pairs.put("allow list", list(state.path("allowTenants")));
        pairs.put("deny list", list(state.path("denyTenants")));
        pairs.put("revision", state.path("revision").asLong() + ", updated " + Output.cell(state.path("updatedAt"))
                + " by " + Output.cell(state.path("updatedBy")));
        out.pairs(pairs);
        if (comparison.isPresent()) {
            comparisonTable(out, comparison.get());
        } else {
            out.line("v1 vs v2       not available from this control plane yet");
        }
        alertsLine(out, alerts);
        return ExitCodes.DONE;
    }

    private static void comparisonTable(Output out, JsonNode comparison) {
        JsonNode v1 = comparison.path("v1");
        JsonNode v2 = comparison.path("v2");
        out.line("");
        out.line("v1 vs v2 (window " + Output.cell(comparison.path("window")) + ")");
        Set<String> metrics = new LinkedHashSet<>();
        for (JsonNode side : List.of(v1, v2)) {
            side.propertyNames().forEach(name -> {
                if (side.get(name).isNumber()) {
                    metrics.add(name);
                }
            });
        }
        List<List<String>> rows = new ArrayList<>();
        for (String metric : metrics) {
            rows.add(List.of(metric, Output.cell(v1.path(metric)), Output.cell(v2.path(metric))));
        }
        out.print(List.of("METRIC", "V1", "V2"), rows);
    }

    private static void alertsLine(Output out, Optional<JsonNode> alerts) {
        if (out.json()) {
            return;
        }
        out.line("");
        if (alerts.isEmpty()) {
            out.line("alerts: not available from this control plane yet");
        } else if (alerts.get().isEmpty()) {
            out.line("alerts: none active");
        } else {
            out.line("alerts:");
            out.table(alerts.get(), List.of("id", "severity", "flag", "rule", "status", "raisedAt", "explanation"));
        }
    }

    private static String list(JsonNode tenants) {
        return tenants.isEmpty() ? "-" : tenants.size() + ": " + Output.cell(tenants);
    }

    /** A guard endpoint that may not exist on this control plane yet: empty on a route 404. */
    static Optional<JsonNode> optional(ApiClient api, String path, Map<String, ?> query) {
        try {
            return Optional.of(api.get(path, query));
        } catch (ApiError e) {
            if (e.status() == 404 && !e.problem().path("errors").isArray()) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
