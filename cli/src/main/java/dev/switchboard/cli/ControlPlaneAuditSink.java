package dev.switchboard.cli;

import dev.switchboard.migration.MigrationAuditEvent;
import dev.switchboard.migration.MigrationAuditSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records live migration runs and data restores in the control plane's audit log ({@code POST /api/v1/audit},
 * operator role; the server stores the action as {@code external.data_migration.run} / {@code .restore}), so the
 * data changes sit in the same history as the flag changes they go with. Without a configured token nothing is
 * recorded (a database-only run). A failure throws; {@code VoiceAgentMigration} turns that into a warning of the
 * result and never undoes the data change.
 */
final class ControlPlaneAuditSink implements MigrationAuditSink {

    private final Supplier<Settings> settings;
    private final Supplier<ApiClient> api;
    private final Supplier<String> flag;
    private final Supplier<String> reason;

    ControlPlaneAuditSink(Supplier<Settings> settings, Supplier<ApiClient> api, Supplier<String> flag,
                          Supplier<String> reason) {
        this.settings = settings;
        this.api = api;
        this.flag = flag;
        this.reason = reason;
    }

    /** Whether runs are recorded: a token is configured (the server has a default). */
    boolean configured() {
        return settings.get().token().isPresent();
    }

    @Override
    public void record(MigrationAuditEvent event) {
        if (!configured()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>(new java.util.TreeMap<>(event.details()));
        details.put("outcome", event.outcome());
        details.put("at", event.at().toString());
        event.backupId().ifPresent(id -> details.put("backupId", id));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", event.action());
        body.put("flag", flag.get());
        body.put("reason", reason.get());
        body.put("details", details);
        api.get().send("POST", "/api/v1/audit", body, Map.of()); // a CliFailure here becomes the run's warning
    }
}
