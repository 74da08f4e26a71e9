package dev.switchboard.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * The four rollback levels of the rollout spec (its {@code rollback-voice-agent-v2} script), with the same
 * checks: a tenant rollback needs {@code --tenant-id}, a partial one a percentage 0-100, a data rollback a
 * backup (snapshot) id and, without one, lists the latest five and fails. Total and data rollbacks ask the
 * operator to type the flag name; {@code --yes} confirms for scripts, and with no terminal and no {@code --yes}
 * the command refuses rather than wait for an answer nobody can give.
 */
@Command(name = "rollback", description = {
        "Roll FLAG back: tenant (deny one tenant), partial (lower the percentage), total (everyone to v1: "
                + "flag off, 0%%), data (restore a snapshot).",
        "Total and data ask you to type the flag name; --yes skips that in scripts."})
final class RollbackCommand extends ApiCommand {

    private static final List<String> LEVELS = List.of("tenant", "partial", "total", "data");

    @Parameters(index = "0", paramLabel = "FLAG")
    String flag;

    @Option(names = "--level", required = true, paramLabel = "LEVEL", description = "tenant, partial, total or data")
    String level;

    @Option(names = "--tenant-id", paramLabel = "ID", description = "tenant to send back to v1 (level tenant)")
    String tenantId;

    @Option(names = "--percentage", paramLabel = "N", description = "new, lower percentage 0-100 (level partial)")
    String percentage;

    @Option(names = "--backup-id", paramLabel = "ID", description = "snapshot id to restore (level data); "
            + "leave out to list the latest 5")
    String backupId;

    @Option(names = {"-y", "--yes"}, description = "confirm a total or data rollback without asking")
    boolean yes;

    @Mixin
    ReasonOption reason;

    @Override
    public Integer call() {
        if (!LEVELS.contains(level)) {
            throw usage("invalid rollback level '" + level + "': must be one of tenant, partial, total, data");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("level", level);
        switch (level) {
            case "tenant" -> {
                onlyFor("tenant", percentage == null && backupId == null);
                if (tenantId == null || tenantId.isBlank()) {
                    throw usage("--tenant-id required for tenant rollback");
                }
                body.put("tenantId", tenantId);
            }
            case "partial" -> {
                onlyFor("partial", tenantId == null && backupId == null);
                body.put("percentage", percentage());
            }
            case "total" -> onlyFor("total", tenantId == null && percentage == null && backupId == null);
            default -> {
                onlyFor("data", tenantId == null && percentage == null);
                if (backupId == null) {
                    return listBackups();
                }
                body.put("snapshotId", snapshotId());
            }
        }
        body.put("reason", reason.reason());
        Output out = output();
        banner(out);
        if (level.equals("total") || level.equals("data")) {
            confirm(out);
        }
        var response = api().send("POST", flagPath(flag) + "/rollback", body, Map.of());
        FlagChange.of(response).print(out, switch (level) {
            case "tenant" -> "tenant " + tenantId + " rolled back to v1";
            case "partial" -> "rollout reduced to " + body.get("percentage") + "%";
            case "total" -> "total rollback complete: all tenants on v1";
            default -> "restored snapshot " + backupId;
        });
        return ExitCodes.DONE;
    }

    private void onlyFor(String wanted, boolean noStrayOptions) {
        if (!noStrayOptions) {
            throw usage("--level " + wanted + " takes only " + switch (wanted) {
                case "tenant" -> "--tenant-id";
                case "partial" -> "--percentage";
                case "data" -> "--backup-id";
                default -> "no level option";
            } + " (of --tenant-id, --percentage, --backup-id)");
        }
    }

    private int percentage() {
        try {
            int value = Integer.parseInt(percentage == null ? "" : percentage.trim());
            if (value >= 0 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage("Invalid percentage" + (percentage == null ? ": --percentage is required for partial rollback"
                : " '" + percentage + "': must be an integer 0-100"));
    }

    private long snapshotId() {
        try {
            long value = Long.parseLong(backupId.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage("invalid --backup-id '" + backupId + "': must be a snapshot id (see `switchboard snapshots "
                + flag + "`)");
    }

    /** The seed's behaviour: no backup id → show what can be restored, and fail so a script stops here. */
    private int listBackups() {
        JsonNode latest = api().get(flagPath(flag) + "/snapshots", Map.of("limit", 5));
        Output out = output();
        if (out.json()) {
            out.document(Map.of("snapshots", latest));
        } else {
            out.line("Available snapshots (latest 5):");
            SnapshotsCommand.print(out, latest);
        }
        out.note("error: --backup-id required for data rollback (choose one of the snapshot ids above)");
        return ExitCodes.USAGE;
    }

    private void banner(Output out) {
        out.line("=".repeat(60));
        out.line("ROLLBACK " + flag + " - Level: " + level.toUpperCase(Locale.ROOT));
        out.line("=".repeat(60));
    }

    private void confirm(Output out) {
        if (yes) {
            return;
        }
        String warning = level.equals("total")
                ? "WARNING: every tenant of " + flag + " goes back to v1 (flag disabled, percentage 0)."
                : "WARNING: " + flag + " will be overwritten with snapshot " + backupId + ".";
        String answer = root().context().prompt().ask(warning + "\nType the flag name (" + flag + ") to confirm: ")
                .orElseThrow(() -> new CliFailure(ExitCodes.USAGE, "refusing a " + level
                        + " rollback without confirmation: there is no terminal to ask on; pass --yes to confirm"));
        if (!answer.trim().equals(flag)) {
            throw new CliFailure(ExitCodes.REFUSED, "rollback cancelled: the flag name was not typed; nothing changed");
        }
    }
}
