package dev.switchboard.migration;

/**
 * Where live runs and restores are recorded; the CLI implements it with the control plane's audit log. Dry runs
 * are not recorded (they change nothing). A failing sink must not undo a finished migration, so callers of
 * {@link #record} swallow and report its exceptions as warnings.
 */
public interface MigrationAuditSink {

    MigrationAuditSink NONE = event -> {
    };

    void record(MigrationAuditEvent event);
}
