package dev.switchboard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code snapshots FLAG}: the restorable states a data rollback can put back, newest first. */
@Command(name = "snapshots", description = "List FLAG's snapshots (ids for rollback --level data --backup-id).")
final class SnapshotsCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "FLAG")
    String flag;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "how many (1-500, default 20)")
    int limit;

    @Override
    public Integer call() {
        JsonNode snapshots = api().get(flagPath(flag) + "/snapshots", Map.of("limit", limit));
        Output out = output();
        if (out.json()) {
            out.document(snapshots);
        } else {
            print(out, snapshots);
        }
        return ExitCodes.DONE;
    }

    static void print(Output out, JsonNode snapshots) {
        if (snapshots.isEmpty()) {
            out.line("  (no snapshots)");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode s : snapshots) {
            JsonNode state = s.path("state");
            rows.add(List.of(String.valueOf(s.path("id").asLong()), String.valueOf(s.path("revision").asLong()),
                    Output.cell(s.path("createdAt")), Output.cell(s.path("createdBy")),
                    (state.path("enabled").asBoolean() ? "on " : "off ") + state.path("percentage").asInt() + "%"
                            + " allow " + state.path("allowTenants").size() + " deny " + state.path("denyTenants").size(),
                    Output.cell(s.path("reason"))));
        }
        out.print(List.of("ID", "REVISION", "CREATED", "BY", "STATE", "REASON"), rows);
    }
}
