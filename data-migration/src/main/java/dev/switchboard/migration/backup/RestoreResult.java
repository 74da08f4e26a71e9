package dev.switchboard.migration.backup;

import java.time.Duration;
import java.util.List;

/**
 * A finished restore: the backup, the tables put back and their row counts (checksums verified equal), and
 * warnings about what happened after it (an audit entry that could not be written: the restore stands).
 */
public record RestoreResult(String backupId, List<String> tables, List<Long> rowCounts, Duration duration,
                            List<String> warnings) {

    public RestoreResult {
        tables = List.copyOf(tables);
        rowCounts = List.copyOf(rowCounts);
        warnings = List.copyOf(warnings);
    }

    public RestoreResult(String backupId, List<String> tables, List<Long> rowCounts, Duration duration) {
        this(backupId, tables, rowCounts, duration, List.of());
    }

    public RestoreResult withWarnings(List<String> more) {
        return new RestoreResult(backupId, tables, rowCounts, duration, more);
    }
}
