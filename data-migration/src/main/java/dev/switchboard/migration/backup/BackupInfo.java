package dev.switchboard.migration.backup;

import java.time.Instant;
import java.util.List;

/** A migration backup: which tables it holds, their row counts and checksums at backup time. */
public record BackupInfo(String id, Instant createdAt, List<String> tables, List<Long> rowCounts,
                         List<String> checksums, String reason) {

    public BackupInfo {
        tables = List.copyOf(tables);
        rowCounts = List.copyOf(rowCounts);
        checksums = List.copyOf(checksums);
    }

    /** One line for "rollback --level data" without an id: id, time, table(rows), … */
    public String describe() {
        StringBuilder sb = new StringBuilder(id).append("  ").append(createdAt).append("  ");
        for (int i = 0; i < tables.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(tables.get(i)).append('(').append(rowCounts.get(i)).append(')');
        }
        return sb.toString();
    }
}
