package dev.switchboard.cli;

import dev.switchboard.migration.AgentDatabase;
import dev.switchboard.migration.MigrationException;
import dev.switchboard.migration.VoiceAgentMigration;
import dev.switchboard.migration.backup.BackupInfo;
import dev.switchboard.migration.backup.RestoreResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * The four rollback levels of the rollout plan (docs/rollout.md), with the checks of the legacy
 * {@code rollback-voice-agent-v2} script: a tenant rollback needs {@code --tenant-id}, a partial one a percentage
 * 0-100, a data rollback a backup id and, without one, lists what can be restored and fails. A data rollback
 * restores one of two kinds of backup, told apart by the id's shape ({@link #MIGRATION_BACKUP_PREFIX}): a flag
 * snapshot (a number, restored by the control plane) or a data-migration backup ({@code mb_…}, whose tables are put
 * back exactly in the voice-agent database by {@link VoiceAgentMigration#restore}). Total and data rollbacks ask the
 * operator to type the flag name; {@code --yes} confirms for scripts, and with no terminal and no {@code --yes} the
 * command refuses rather than wait for an answer nobody can give.
 */
@Command(name = "rollback", description = {
        "Roll FLAG back: tenant (deny one tenant), partial (lower the percentage), total (everyone to v1: "
                + "flag off, 0%%), data (restore a flag snapshot or a data-migration backup).",
        "--backup-id: a number is a flag snapshot (see `switchboard snapshots FLAG`); an id starting with mb_ is a "
                + "data-migration backup of the voice-agent database (needs --database-url or "
                + AgentDatabase.URL_ENV + "); without --backup-id both kinds are listed and the command exits 2.",
        "Total and data ask you to type the flag name; --yes skips that in scripts."})
final class RollbackCommand extends ApiCommand {

    private static final List<String> LEVELS = List.of("tenant", "partial", "total", "data");
    /** Every id the data migration's backups get starts with this ({@code mb_20250601t120000_a1b2c3}). */
    static final String MIGRATION_BACKUP_PREFIX = "mb_";

    @Parameters(index = "0", paramLabel = "FLAG")
    String flag;

    @Option(names = "--level", required = true, paramLabel = "LEVEL", description = "tenant, partial, total or data")
    String level;

    @Option(names = "--tenant-id", paramLabel = "ID", description = "tenant to send back to v1 (level tenant)")
    String tenantId;

    @Option(names = "--percentage", paramLabel = "N", description = "new, lower percentage 0-100 (level partial)")
    String percentage;

    @Option(names = "--backup-id", paramLabel = "ID", description = "level data: a flag snapshot id (a number) or "
            + "a data-migration backup id (mb_...); leave out to list both")
    String backupId;

    @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "the voice-agent PostgreSQL, for "
            + "data-migration backups (env " + AgentDatabase.URL_ENV + "; user/password from "
            + "SWITCHBOARD_AGENT_DB_USER / SWITCHBOARD_AGENT_DB_PASSWORD)")
    String databaseUrl;

    @Option(names = {"-y", "--yes"}, description = "confirm a total or data rollback without asking")
    boolean yes;

    @Mixin
    ReasonOption reason;

    @Mixin
    WaitOption wait;

    @Override
    public Integer call() {
        if (wait.requested()) {
            wait.bound(); // a bad --wait fails before anything changes
        }
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
                if (backupId.trim().startsWith(MIGRATION_BACKUP_PREFIX)) {
                    return restoreMigrationBackup(backupId.trim());
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
        FlagChange change = FlagChange.of(response);
        return change.print(out, switch (level) {
            case "tenant" -> "tenant " + tenantId + " rolled back to v1";
            case "partial" -> "rollout reduced to " + body.get("percentage") + "%";
            case "total" -> "total rollback complete: all tenants on v1";
            default -> "restored snapshot " + backupId;
        }, change.awaitIf(wait, api(), flagPath(flag)));
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
        throw usage("invalid --backup-id '" + backupId + "': must be a flag snapshot id (a number, see `switchboard"
                + " snapshots " + flag + "`) or a data-migration backup id (" + MIGRATION_BACKUP_PREFIX + "...)");
    }

    /**
     * As the legacy rollback script: no backup id → show what can be restored (the latest 5 flag snapshots and, when a
     * voice-agent database is configured, its data-migration backups), and fail so a script stops here.
     */
    private int listBackups() {
        JsonNode latest = api().get(flagPath(flag) + "/snapshots", Map.of("limit", 5));
        Optional<AgentDatabase> database = database();
        Optional<List<BackupInfo>> backups = database.map(db -> {
            try {
                return new VoiceAgentMigration().listBackups(db);
            } catch (MigrationException e) {
                throw MigrationExitCodes.failure(e);
            }
        });
        Output out = output();
        if (out.json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("snapshots", latest);
            document.put("migrationBackups", backups.map(list -> list.stream().map(RollbackCommand::backupView)
                    .toList()).orElse(null));
            out.document(document);
        } else {
            out.line("Available snapshots (latest 5):");
            SnapshotsCommand.print(out, latest);
            backups.ifPresent(list -> {
                out.line("");
                out.line("Data-migration backups (voice-agent database, newest first):");
                if (list.isEmpty()) {
                    out.line("  (no migration backups)");
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    list.forEach(b -> rows.add(List.of(b.id(), b.createdAt().toString(), tablesText(b.tables(),
                            b.rowCounts()), b.reason() == null ? "" : b.reason())));
                    out.print(List.of("ID", "CREATED", "TABLES (ROWS)", "REASON"), rows);
                }
            });
            if (database.isEmpty()) {
                out.line("");
                out.line("(data-migration backups: give --database-url or set " + AgentDatabase.URL_ENV
                        + " to list them)");
            }
        }
        out.note("error: --backup-id required for data rollback (choose one of the snapshot ids above"
                + (database.isPresent() ? ", or one of the migration backups (" + MIGRATION_BACKUP_PREFIX + "...))"
                : ")"));
        return ExitCodes.USAGE;
    }

    /**
     * Puts the tables of a data-migration backup back exactly (checksums verified in the restore's transaction);
     * the restore is recorded in the control plane's audit log when a token is configured.
     */
    private int restoreMigrationBackup(String id) {
        AgentDatabase database = database().orElseThrow(() -> usage("--backup-id " + id + " is a data-migration"
                + " backup: give --database-url or set " + AgentDatabase.URL_ENV + " (the voice-agent database)"));
        ControlPlaneAuditSink audit = new ControlPlaneAuditSink(() -> root().settings(), this::api, () -> flag,
                reason::reason);
        VoiceAgentMigration migration = new VoiceAgentMigration(root().context().clock(), audit);
        Output out = output();
        try {
            BackupInfo backup = migration.listBackups(database).stream().filter(b -> b.id().equals(id)).findFirst()
                    .orElseThrow(() -> new MigrationException(MigrationException.Kind.UNKNOWN_BACKUP,
                            "No migration backup with id '" + id + "' in the voice-agent database (run the data"
                                    + " rollback without --backup-id to list the backups)"));
            banner(out);
            confirmRestore(out, backup);
            RestoreResult result = migration.restore(database, id);
            result.warnings().forEach(w -> out.note("warning: " + w));
            if (out.json()) {
                Map<String, Object> restored = new LinkedHashMap<>();
                restored.put("backupId", result.backupId());
                restored.put("tables", tableViews(result.tables(), result.rowCounts()));
                restored.put("durationMs", result.duration().toMillis());
                restored.put("auditRecorded", audit.configured() && result.warnings().isEmpty());
                restored.put("warnings", result.warnings());
                out.document(Map.of("restored", restored));
            } else {
                out.line("✓ restored migration backup " + id + " (taken " + backup.createdAt() + "): "
                        + tablesText(result.tables(), result.rowCounts()) + "; checksums verified");
                if (!audit.configured()) {
                    out.note("note: no control plane token configured: this restore is not in the audit log");
                }
            }
            return ExitCodes.DONE;
        } catch (MigrationException e) {
            throw MigrationExitCodes.failure(e);
        }
    }

    private void confirmRestore(Output out, BackupInfo backup) {
        if (yes) {
            return;
        }
        String warning = "WARNING: tables " + String.join(", ", backup.tables()) + " of the voice-agent database "
                + "will be replaced with backup " + backup.id() + " (taken " + backup.createdAt() + "); rows written"
                + " since then are lost.";
        String answer = root().context().prompt().ask(warning + "\nType the flag name (" + flag + ") to confirm: ")
                .orElseThrow(() -> new CliFailure(ExitCodes.USAGE, "refusing a data rollback without confirmation:"
                        + " there is no terminal to ask on; pass --yes to confirm"));
        if (!answer.trim().equals(flag)) {
            throw new CliFailure(ExitCodes.REFUSED, "rollback cancelled: the flag name was not typed; nothing changed");
        }
    }

    /** --database-url, else SWITCHBOARD_AGENT_DB_URL (user and password only from the environment). */
    private Optional<AgentDatabase> database() {
        Map<String, String> env = root().context().env();
        String url = databaseUrl != null && !databaseUrl.isBlank() ? databaseUrl.trim() : env.get(AgentDatabase.URL_ENV);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new AgentDatabase(url.trim(), env.get("SWITCHBOARD_AGENT_DB_USER"),
                    env.get("SWITCHBOARD_AGENT_DB_PASSWORD")));
        } catch (MigrationException e) {
            throw MigrationExitCodes.failure(e);
        }
    }

    private static Map<String, Object> backupView(BackupInfo b) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", b.id());
        view.put("createdAt", b.createdAt().toString());
        view.put("tables", tableViews(b.tables(), b.rowCounts()));
        view.put("reason", b.reason());
        return view;
    }

    private static List<Map<String, Object>> tableViews(List<String> tables, List<Long> rows) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            views.add(Map.of("table", tables.get(i), "rows", rows.get(i)));
        }
        return views;
    }

    private static String tablesText(List<String> tables, List<Long> rows) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            parts.add(tables.get(i) + " (" + rows.get(i) + ")");
        }
        return String.join(", ", parts);
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
