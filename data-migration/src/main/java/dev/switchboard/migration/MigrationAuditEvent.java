package dev.switchboard.migration;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One audit entry: a live migration run (with its result) or a data restore.
 *
 * @param action  {@code data_migration.run} or {@code data_migration.restore}
 * @param outcome {@code success} or {@code failed}
 * @param details flat key/value facts (counts, tenant scope, backup id) for the audit log's details column
 */
public record MigrationAuditEvent(String action, String outcome, Instant at, Optional<String> backupId,
                                  Map<String, String> details) {

    public static final String RUN = "data_migration.run";
    public static final String RESTORE = "data_migration.restore";

    public MigrationAuditEvent {
        details = Map.copyOf(details);
    }
}
