package dev.switchboard.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code rollout set|advance|plan}: move the percentage by hand or stage by stage under the guard's criteria. */
@Command(name = "rollout", description = "Set the rollout percentage, advance to the next stage, show the stage plan.",
        subcommands = {RolloutCommand.Set.class, RolloutCommand.Advance.class, RolloutCommand.Plan.class})
final class RolloutCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "set", description = "Set FLAG's rollout percentage (0-100).")
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FLAG")
        String flag;
        @Parameters(index = "1", paramLabel = "PERCENT", description = "0-100")
        int percentage;
        @Option(names = "--if-revision", paramLabel = "N",
                description = "only if the flag is still at this revision (409 otherwise)")
        Long ifRevision;
        @Mixin
        ReasonOption reason;
        @Mixin
        WaitOption wait;

        @Override
        public Integer call() {
            if (percentage < 0 || percentage > 100) {
                throw usage("PERCENT must be between 0 and 100, not " + percentage);
            }
            if (wait.requested()) {
                wait.bound(); // a bad --wait fails before anything changes
            }
            Map<String, String> headers = ifRevision == null ? Map.of() : Map.of("If-Match", "\"" + ifRevision + "\"");
            var response = api().send("PUT", flagPath(flag) + "/percentage",
                    Map.of("percentage", percentage, "reason", reason.reason()), headers);
            FlagChange change = FlagChange.of(response);
            return change.print(output(), "rollout set to " + percentage + "%",
                    change.awaitIf(wait, api(), flagPath(flag)));
        }
    }

    @Command(name = "advance", description = "Move FLAG to the next stage if the go criteria hold (exit 1 with the failing criteria otherwise).")
    static final class Advance extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FLAG")
        String flag;
        @Option(names = "--force", description = "advance even though criteria fail (admin)")
        boolean force;
        @Mixin
        ReasonOption reason;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reason", reason.reason());
            if (force) {
                body.put("force", true);
            }
            Output out = output();
            try {
                var response = api().send("POST", flagPath(flag) + "/advance", body, Map.of());
                JsonNode answer = response.body();
                // the guard may answer with the flag itself or with {flag, ...}; show the flag either way
                JsonNode state = answer.has("flag") && answer.get("flag").isObject() ? answer.get("flag") : answer;
                if (out.json()) {
                    out.document(answer);
                } else {
                    out.line("✓ advanced — " + summary(state));
                }
                return ExitCodes.DONE;
            } catch (ApiError e) {
                JsonNode criteria = e.problem().path("criteria");
                if (e.status() == 409 && criteria.isArray()) {
                    if (out.json()) {
                        out.document(e.problem());
                    } else {
                        out.line("no-go: " + e.problem().path("detail").asString(""));
                        out.table(criteria, List.of());
                        out.note("(an admin can override with --force)");
                    }
                    return ExitCodes.REFUSED;
                }
                throw e;
            }
        }
    }

    @Command(name = "plan", description = "Show FLAG's stage plan and where it stands.")
    static final class Plan extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FLAG")
        String flag;

        @Override
        public Integer call() {
            JsonNode plan = api().get(flagPath(flag) + "/plan");
            Output out = output();
            if (out.json()) {
                out.document(plan);
                return ExitCodes.DONE;
            }
            JsonNode rows = plan.isArray() ? plan : plan.path("stages");
            Map<String, String> pairs = new LinkedHashMap<>();
            if (plan.isObject()) {
                plan.propertyNames().forEach(name -> {
                    if (!name.equals("stages") && !plan.get(name).isContainer()) {
                        pairs.put(name, Output.cell(plan.get(name)));
                    }
                });
            }
            out.pairs(pairs);
            if (rows.isArray()) {
                out.table(rows, List.of());
            }
            return ExitCodes.DONE;
        }
    }
}
