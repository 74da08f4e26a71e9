package dev.switchboard.migration;

import dev.switchboard.migration.backup.BackupInfo;
import dev.switchboard.migration.backup.BackupStore;
import dev.switchboard.migration.backup.Bookkeeping;
import dev.switchboard.migration.backup.RestoreResult;
import dev.switchboard.migration.backup.Sessions;
import dev.switchboard.migration.schema.AgentSchema;
import dev.switchboard.migration.steps.CallsAndMetricsStep;
import dev.switchboard.migration.steps.ConfigMigrationStep;
import dev.switchboard.migration.steps.TenantScope;
import dev.switchboard.migration.steps.Validation;
import dev.switchboard.migration.steps.Verification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The voice-agent v1 → v2 data migration (validate, back up, migrate configs, calls and metrics, verify) and its
 * data rollback.
 *
 * <p>Order of work: everything that can reject the input (options, connection, schema, tenant ids, data
 * validation) runs first and read-only, so bad input writes nothing. A live run then takes the lock, the backup
 * (committed on its own), and migrates configs, calls/metrics and verifies in ONE transaction: a failure anywhere,
 * including a failed verification, rolls back exactly this run's writes and nothing else. A dry run does the same
 * reads and transformations in a READ ONLY transaction, so PostgreSQL itself guarantees it writes nothing.
 */
public final class VoiceAgentMigration {

    public static final int STEPS = 5;
    /** pg advisory lock key shared by migrations and restores on one database. */
    static final long LOCK_KEY = 0x5357_4D49_4752_4154L;

    private final Clock clock;
    private final MigrationAuditSink audit;
    private final BackupStore backups;

    public VoiceAgentMigration(Clock clock, MigrationAuditSink audit) {
        this.clock = clock;
        this.audit = audit;
        this.backups = new BackupStore(clock);
    }

    public VoiceAgentMigration() {
        this(Clock.systemUTC(), MigrationAuditSink.NONE);
    }

    /**
     * Runs the migration. Returns a result (SUCCESS or FAILED, the latter rolled back) for anything that happened
     * to the data; throws {@link MigrationException} when the input or environment is unusable (nothing written).
     */
    public MigrationResult migrate(MigrationOptions options) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        MigrationProgressListener listener = options.listener();
        try (Connection connection = options.database().connect()) {
            Sessions.normalize(connection);
            AgentSchema schema = AgentSchema.inspect(connection);
            TenantScope scope = TenantScope.resolve(connection, schema, options.tenantIds());
            Run run = new Run(options, scope, started);

            listener.stepStarted(1, STEPS, "Validating current data");
            Validation.Report validation = new Validation().run(connection, scope);
            run.warnings.addAll(validation.warnings());
            validation.warnings().forEach(listener::note);
            if (!validation.errors().isEmpty()) {
                run.errors.addAll(validation.errors());
                return finish(run, MigrationResult.Status.FAILED, false);
            }
            if (options.dryRun()) {
                return dryRun(connection, schema, run, now);
            }
            lock(connection);
            try {
                return live(connection, schema, run, now);
            } finally {
                unlock(connection);
            }
        } catch (SQLException e) {
            throw new MigrationException(MigrationException.Kind.DATABASE_UNREACHABLE,
                    "The voice-agent database failed during the migration: " + e.getMessage(), e);
        }
    }

    private MigrationResult dryRun(Connection connection, AgentSchema schema, Run run, Instant now)
            throws SQLException {
        MigrationProgressListener listener = run.options.listener();
        listener.stepStarted(2, STEPS, "Creating backup");
        listener.note("[DRY RUN] Would create a backup of " + String.join(", ", BackupStore.MIGRATION_TABLES));
        connection.setAutoCommit(false);
        connection.setReadOnly(true);
        try {
            migrateInside(connection, schema, run, now, true);
            listener.stepStarted(5, STEPS, "Verifying migration");
            listener.note("[DRY RUN] Skipping verification (nothing was written)");
        } finally {
            connection.rollback();
            connection.setReadOnly(false);
            connection.setAutoCommit(true);
        }
        return finish(run, MigrationResult.Status.SUCCESS, false);
    }

    private MigrationResult live(Connection connection, AgentSchema schema, Run run, Instant now)
            throws SQLException {
        MigrationProgressListener listener = run.options.listener();
        Bookkeeping.ensure(connection);
        listener.stepStarted(2, STEPS, "Creating backup");
        if (run.options.skipBackup()) {
            run.warnings.add("No backup taken (--skip-backup confirmed): no data rollback for this run");
            listener.note("Backup skipped (confirmed)");
        } else {
            BackupInfo backup = backups.create(connection, BackupStore.MIGRATION_TABLES, "before migrate "
                    + run.scope.ids().map(ids -> "of " + ids.size() + " tenant(s)").orElse("of all tenants"));
            run.backupId = Optional.of(backup.id());
            listener.note("Backup " + backup.id() + ": " + backup.describe()
                    .substring(backup.describe().indexOf("  ", backup.id().length() + 2)).trim());
        }
        connection.setAutoCommit(false);
        try {
            List<String> written = migrateInside(connection, schema, run, now, false);
            listener.stepStarted(5, STEPS, "Verifying migration");
            List<String> problems = new Verification().run(connection, schema, run.scope, written);
            if (!problems.isEmpty()) {
                connection.rollback();
                run.errors.addAll(problems);
                run.errors.add("Rolled back: this run's writes were undone");
                return finish(run, MigrationResult.Status.FAILED, true);
            }
            connection.commit();
            return finish(run, MigrationResult.Status.SUCCESS, true);
        } catch (SQLException e) {
            connection.rollback();
            run.zeroCounts();
            run.errors.add(run.currentStep + " failed: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            run.errors.add("Rolled back: this run's writes were undone");
            return finish(run, MigrationResult.Status.FAILED, true);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Steps 3 and 4 in the caller's transaction; returns the ids of the configs written. */
    private List<String> migrateInside(Connection connection, AgentSchema schema, Run run, Instant now,
                                       boolean dryRun) throws SQLException {
        MigrationProgressListener listener = run.options.listener();
        listener.stepStarted(3, STEPS, "Migrating configurations");
        run.currentStep = "Migrating configurations";
        ConfigMigrationStep.Outcome configs = new ConfigMigrationStep().run(connection, schema, run.scope,
                run.options.batchSize(), run.options.force(), dryRun, now, listener);
        run.configsMigrated = configs.inserted() + configs.updated();
        run.configsUpdated = configs.updated();
        run.configsSkipped = configs.skipped();

        listener.stepStarted(4, STEPS, "Migrating calls and calculating metrics");
        run.currentStep = "Migrating calls and calculating metrics";
        CallsAndMetricsStep.Outcome calls = new CallsAndMetricsStep().run(connection, schema, run.scope,
                run.options.force(), dryRun, now);
        run.outcomesInferred = calls.outcomesInferred();
        run.metricsRows = calls.metricsRows();
        run.metricsSkipped = calls.metricsSkipped();
        run.callsProcessed = calls.callsProcessed();
        run.currentStep = "Verifying migration";
        return configs.writtenIds();
    }

    private MigrationResult finish(Run run, MigrationResult.Status status, boolean recordAudit) {
        if (status == MigrationResult.Status.FAILED) {
            run.zeroCounts();
        }
        MigrationResult result = new MigrationResult(status, run.options.dryRun(),
                Duration.ofNanos(System.nanoTime() - run.startedNanos), run.configsMigrated, run.configsUpdated,
                run.configsSkipped, run.callsProcessed, run.outcomesInferred, run.metricsRows, run.metricsSkipped,
                run.errors, run.warnings, run.backupId, run.scope.ids());
        if (recordAudit) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("configsMigrated", String.valueOf(result.configsMigrated()));
            details.put("configsSkipped", String.valueOf(result.configsSkipped()));
            details.put("callsProcessed", String.valueOf(result.callsProcessed()));
            details.put("metricsRows", String.valueOf(result.metricsRows()));
            details.put("tenants", run.scope.ids().map(ids -> String.join(",", ids)).orElse("all"));
            details.put("force", String.valueOf(run.options.force()));
            if (!result.errors().isEmpty()) {
                details.put("error", result.errors().get(0));
            }
            record(new MigrationAuditEvent(MigrationAuditEvent.RUN, result.succeeded() ? "success" : "failed",
                    clock.instant(), result.backupId(), details), run.warnings);
            if (run.warnings.size() != result.warnings().size()) {
                result = new MigrationResult(result.status(), result.dryRun(), result.duration(),
                        result.configsMigrated(), result.configsUpdated(), result.configsSkipped(),
                        result.callsProcessed(), result.outcomesInferred(), result.metricsRows(),
                        result.metricsSkipped(), result.errors(), run.warnings, result.backupId(),
                        result.tenantScope());
            }
        }
        return result;
    }

    /**
     * Which of {@code tenantIds} are businesses of the voice-agent database (uuid ids compared case-insensitively,
     * returned as given). A stage-scoped run uses it to leave out control-plane tenants with no v1 data.
     */
    public java.util.Set<String> existingTenants(AgentDatabase database, java.util.Set<String> tenantIds) {
        try (Connection connection = database.connect();
             PreparedStatement ps = connection.prepareStatement(
                     "SELECT t FROM unnest(?::text[]) t WHERE EXISTS (SELECT 1 FROM businesses b"
                             + " WHERE lower(b.id::text) = lower(t))")) {
            ps.setArray(1, connection.createArrayOf("text", tenantIds.toArray()));
            java.util.Set<String> found = new java.util.LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new MigrationException(MigrationException.Kind.SCHEMA_MISMATCH,
                    "Cannot look up businesses in the voice-agent database: " + e.getMessage(), e);
        }
    }

    /** Backups of this database, newest first (for "rollback --level data" without an id). */
    public List<BackupInfo> listBackups(AgentDatabase database) {
        try (Connection connection = database.connect()) {
            Sessions.normalize(connection);
            return backups.list(connection);
        } catch (SQLException e) {
            throw new MigrationException(MigrationException.Kind.DATABASE_UNREACHABLE,
                    "The voice-agent database failed while listing backups: " + e.getMessage(), e);
        }
    }

    /**
     * Restores every table of a backup exactly (checksums verified inside the transaction) and records it in the
     * audit sink. Unknown id: {@link MigrationException} UNKNOWN_BACKUP, nothing written.
     */
    public RestoreResult restore(AgentDatabase database, String backupId) {
        if (backupId == null || backupId.isBlank()) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--backup-id is required to restore (without it, list the backups)");
        }
        try (Connection connection = database.connect()) {
            Sessions.normalize(connection);
            if (backups.find(connection, backupId).isEmpty()) {
                throw new MigrationException(MigrationException.Kind.UNKNOWN_BACKUP, "No migration backup with id '"
                        + backupId + "' (run the data rollback without --backup-id to list the backups)");
            }
            lock(connection);
            RestoreResult result;
            try {
                result = backups.restore(connection, backupId);
            } finally {
                unlock(connection);
            }
            Map<String, String> details = new LinkedHashMap<>();
            for (int i = 0; i < result.tables().size(); i++) {
                details.put(result.tables().get(i), result.rowCounts().get(i) + " rows");
            }
            List<String> warnings = new ArrayList<>();
            record(new MigrationAuditEvent(MigrationAuditEvent.RESTORE, "success", clock.instant(),
                    Optional.of(backupId), details), warnings);
            return result.withWarnings(warnings);
        } catch (SQLException e) {
            throw new MigrationException(MigrationException.Kind.RESTORE_FAILED,
                    "Restore of backup " + backupId + " failed and was rolled back: " + e.getMessage(), e);
        }
    }

    private void record(MigrationAuditEvent event, List<String> warnings) {
        try {
            audit.record(event);
        } catch (RuntimeException e) {
            // the data change is done; losing its audit entry must be visible but must not undo it
            warnings.add("Audit log not written: " + e.getMessage());
        }
    }

    private static void lock(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new MigrationException(MigrationException.Kind.BUSY,
                            "Another migration or restore is running on this voice-agent database; try again later");
                }
            }
        }
    }

    private static void unlock(Connection connection) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        } catch (SQLException e) {
            // the lock goes with the session, which the caller closes next
        }
    }

    /** Mutable tallies of one run (confined to this call). */
    private static final class Run {
        final MigrationOptions options;
        final TenantScope scope;
        final long startedNanos;
        final List<String> errors = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        Optional<String> backupId = Optional.empty();
        String currentStep = "Migration";
        int configsMigrated;
        int configsUpdated;
        int configsSkipped;
        long callsProcessed;
        long outcomesInferred;
        int metricsRows;
        int metricsSkipped;

        Run(MigrationOptions options, TenantScope scope, long startedNanos) {
            this.options = options;
            this.scope = scope;
            this.startedNanos = startedNanos;
        }

        /** After a rollback nothing was migrated, whatever the steps had counted. */
        void zeroCounts() {
            configsMigrated = 0;
            configsUpdated = 0;
            configsSkipped = 0;
            callsProcessed = 0;
            outcomesInferred = 0;
            metricsRows = 0;
            metricsSkipped = 0;
        }
    }
}
