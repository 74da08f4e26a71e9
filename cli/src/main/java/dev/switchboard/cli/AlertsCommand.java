package dev.switchboard.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code alerts [ack ID]}: the guard's active alerts, and acknowledging one. */
@Command(name = "alerts", description = "List active guard alerts; `alerts ack ID` acknowledges one.",
        subcommands = AlertsCommand.Ack.class)
final class AlertsCommand extends ApiCommand {

    @Option(names = "--flag", paramLabel = "FLAG", description = "only this flag's alerts")
    String flag;

    @Override
    public Integer call() {
        JsonNode alerts = api().get("/api/v1/alerts", flag == null ? Map.of() : Map.of("flag", flag));
        Output out = output();
        if (out.json()) {
            out.document(alerts);
        } else if (alerts.isEmpty()) {
            out.line("no active alerts");
        } else {
            out.table(alerts, List.of("id", "severity", "flag", "tenantId", "rule", "status", "raisedAt", "explanation"));
        }
        return ExitCodes.DONE;
    }

    @Command(name = "ack", description = "Acknowledge alert ID (stops its escalation).")
    static final class Ack extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;
        @Mixin
        ReasonOption reason;

        @Override
        public Integer call() {
            JsonNode alert = api().send("POST", "/api/v1/alerts/" + id + "/ack", Map.of("reason", reason.reason()),
                    Map.of()).body();
            Output out = output();
            if (out.json()) {
                out.document(alert);
            } else {
                out.line("✓ alert " + id + " acknowledged" + (alert.hasNonNull("acknowledgedBy")
                        ? " by " + Output.cell(alert.get("acknowledgedBy")) : ""));
            }
            return ExitCodes.DONE;
        }
    }
}
