package dev.switchboard.migration;

import dev.switchboard.migration.backup.BackupInfo;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The result summary as the legacy migration script printed it (text) and as {@code -o json}; shared by every command
 * that prints one.
 */
public final class MigrationReport {

    private static final String RULE = "=".repeat(60);

    private MigrationReport() {
    }

    public static String text(MigrationResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(RULE).append('\n').append("MIGRATION RESULTS").append(r.dryRun() ? " (DRY RUN)" : "").append('\n')
                .append(RULE).append('\n');
        sb.append("Status: ").append(r.succeeded() ? "✓ SUCCESS" : "✗ FAILED").append('\n');
        sb.append("Duration: ").append(String.format(Locale.ROOT, "%.2fs", r.duration().toMillis() / 1000.0)).append('\n');
        sb.append("Tenants: ").append(r.tenantScope().map(ids -> ids.size() + " (" + abbreviate(ids) + ")")
                .orElse("ALL")).append('\n');
        sb.append("Configs migrated: ").append(r.configsMigrated());
        if (r.configsUpdated() > 0) {
            sb.append(" (").append(r.configsUpdated()).append(" updated with --force)");
        }
        sb.append('\n').append("Configs skipped: ").append(r.configsSkipped()).append('\n');
        sb.append("Calls processed: ").append(r.callsProcessed()).append('\n');
        sb.append("Outcomes inferred: ").append(r.outcomesInferred()).append('\n');
        sb.append("Metrics rows: ").append(r.metricsRows()).append(" (skipped ").append(r.metricsSkipped())
                .append(")\n");
        r.backupId().ifPresent(id -> sb.append("Backup: ").append(id).append('\n'));
        if (!r.warnings().isEmpty()) {
            sb.append("\nWarnings (").append(r.warnings().size()).append("):\n");
            r.warnings().forEach(w -> sb.append("  - ").append(w).append('\n'));
        }
        if (!r.errors().isEmpty()) {
            sb.append("\nErrors (").append(r.errors().size()).append("):\n");
            r.errorSummary().forEach(e -> sb.append("  - ").append(e).append('\n'));
        }
        return sb.append(RULE).append('\n').toString();
    }

    public static String json(MigrationResult r) {
        return "{" + field("status", r.status().name()) + "," + "\"dryRun\":" + r.dryRun() + ","
                + "\"durationMs\":" + r.duration().toMillis() + ","
                + "\"configsMigrated\":" + r.configsMigrated() + "," + "\"configsUpdated\":" + r.configsUpdated() + ","
                + "\"configsSkipped\":" + r.configsSkipped() + "," + "\"callsProcessed\":" + r.callsProcessed() + ","
                + "\"outcomesInferred\":" + r.outcomesInferred() + "," + "\"metricsRows\":" + r.metricsRows() + ","
                + "\"metricsSkipped\":" + r.metricsSkipped() + ","
                + "\"backupId\":" + r.backupId().map(MigrationReport::quote).orElse("null") + ","
                + "\"tenants\":" + r.tenantScope().map(MigrationReport::array).orElse("null") + ","
                + "\"errorCount\":" + r.errors().size() + ","
                + "\"errors\":" + array(r.errorSummary()) + ","
                + "\"warnings\":" + array(r.warnings()) + "}";
    }

    public static String backupsText(List<BackupInfo> backups) {
        if (backups.isEmpty()) {
            return "No migration backups in this database.\n";
        }
        return "Available backups:\n" + backups.stream().map(b -> "  " + b.describe())
                .collect(Collectors.joining("\n")) + "\n";
    }

    public static String backupsJson(List<BackupInfo> backups) {
        return backups.stream().map(b -> "{" + field("id", b.id()) + "," + field("createdAt", b.createdAt().toString())
                        + ",\"tables\":" + array(b.tables()) + ",\"rowCounts\":" + b.rowCounts() .toString()
                        .replace(" ", "") + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String abbreviate(List<String> ids) {
        return ids.size() <= 5 ? String.join(", ", ids) : String.join(", ", ids.subList(0, 5)) + ", …";
    }

    private static String field(String name, String value) {
        return quote(name) + ":" + quote(value);
    }

    private static String array(List<String> values) {
        return values.stream().map(MigrationReport::quote).collect(Collectors.joining(",", "[", "]"));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
