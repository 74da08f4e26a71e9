package dev.switchboard.migration.backup;

import java.time.Duration;
import java.util.List;

/** A finished restore: the backup, the tables put back and their row counts (checksums verified equal). */
public record RestoreResult(String backupId, List<String> tables, List<Long> rowCounts, Duration duration) {

    public RestoreResult {
        tables = List.copyOf(tables);
        rowCounts = List.copyOf(rowCounts);
    }
}
