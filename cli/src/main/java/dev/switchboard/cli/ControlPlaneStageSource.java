package dev.switchboard.cli;

import dev.switchboard.migration.StageTenantSource;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * {@code migrate --stage next}: the tenants the flag's next stage moves to v2, as the control plane computes them.
 * The stage plan ({@code GET /flags/{flag}/plan}, the guard's) names the next stage and its percentage; the
 * preview ({@code GET /flags/{flag}/preview?percentage=N}) lists {@code newlyOnV2}, the registered tenants on v1
 * now and on v2 at that percentage (allow and deny lists included), so data moves with exactly those tenants.
 */
final class ControlPlaneStageSource implements StageTenantSource {

    private final Supplier<ApiClient> api;
    private final Supplier<String> flag;

    ControlPlaneStageSource(Supplier<ApiClient> api, Supplier<String> flag) {
        this.api = api;
        this.flag = flag;
    }

    @Override
    public Set<String> tenantsOfNextStage() {
        ApiClient client = api.get();
        String name = flag.get();
        String path = ApiCommand.flagPath(name);
        JsonNode plan = client.get(path + "/plan");
        JsonNode next = plan.path("next");
        if (next.isNull() || next.isMissingNode() || next.asString("").isBlank()) {
            throw new CliFailure(ExitCodes.REFUSED, name + " is at its last stage (" + plan.path("current").asString()
                    + ", " + plan.path("percentage").asInt() + "%): there is no next stage to migrate for;"
                    + " use --tenant-ids, or no scope to migrate every tenant");
        }
        int percentage = -1;
        for (JsonNode stage : plan.path("stages")) {
            if (stage.path("name").asString().equals(next.asString())) {
                percentage = stage.path("percentage").asInt();
            }
        }
        if (percentage < 0) {
            throw new CliFailure(ExitCodes.REFUSED, "the control plane's plan of " + name + " names next stage '"
                    + next.asString() + "' but not its percentage");
        }
        JsonNode preview = client.get(path + "/preview", Map.of("percentage", percentage));
        Set<String> tenants = new LinkedHashSet<>();
        preview.path("newlyOnV2").forEach(t -> tenants.add(t.asString()));
        return tenants;
    }
}
