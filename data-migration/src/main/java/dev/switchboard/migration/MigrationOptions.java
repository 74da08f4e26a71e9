package dev.switchboard.migration;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to run the migration.
 *
 * @param database          the voice-agent platform's PostgreSQL
 * @param dryRun            read, transform and report; write nothing (enforced by a read-only transaction)
 * @param batchSize         configs read, transformed and written per statement (default 100, as in the legacy script)
 * @param tenantIds         the businesses to migrate; empty means all of them. A stage-scoped run passes the
 *                          set its {@link StageTenantSource} computed (which may itself be empty: nothing to do)
 * @param force             update rows an earlier run migrated instead of skipping them
 * @param skipBackup        no backup; allowed on a dry run, or on a live run with {@code confirmSkipBackup}
 * @param confirmSkipBackup the operator's explicit yes to a live run without a way back
 * @param listener          progress of the run
 */
public record MigrationOptions(AgentDatabase database, boolean dryRun, int batchSize,
                               Optional<Set<String>> tenantIds, boolean force, boolean skipBackup,
                               boolean confirmSkipBackup, MigrationProgressListener listener) {

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int MAX_BATCH_SIZE = 50_000;

    public MigrationOptions {
        Objects.requireNonNull(database, "database");
        tenantIds = tenantIds.map(ids -> Set.copyOf(new LinkedHashSet<>(ids)));
        listener = listener == null ? MigrationProgressListener.NONE : listener;
        if (batchSize <= 0) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--batch-size must be a positive number of configs per batch, got " + batchSize);
        }
        if (batchSize > MAX_BATCH_SIZE) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--batch-size must be at most " + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        tenantIds.ifPresent(ids -> ids.forEach(id -> {
            if (id == null || id.isBlank()) {
                throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                        "--tenant-ids contains an empty tenant id");
            }
        }));
        if (skipBackup && !dryRun && !confirmSkipBackup) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--skip-backup on a live run leaves no way back: add --yes to confirm, or use --dry-run");
        }
    }

    public static Builder builder(AgentDatabase database) {
        return new Builder(database);
    }

    /** Optional-heavy record made pleasant to build; defaults: live, batch 100, all tenants. */
    public static final class Builder {
        private final AgentDatabase database;
        private boolean dryRun;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Optional<Set<String>> tenantIds = Optional.empty();
        private boolean force;
        private boolean skipBackup;
        private boolean confirmSkipBackup;
        private MigrationProgressListener listener = MigrationProgressListener.NONE;

        private Builder(AgentDatabase database) {
            this.database = database;
        }

        public Builder dryRun(boolean value) {
            this.dryRun = value;
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder tenantIds(Set<String> value) {
            this.tenantIds = Optional.of(value);
            return this;
        }

        public Builder allTenants() {
            this.tenantIds = Optional.empty();
            return this;
        }

        public Builder force(boolean value) {
            this.force = value;
            return this;
        }

        public Builder skipBackup(boolean value, boolean confirmed) {
            this.skipBackup = value;
            this.confirmSkipBackup = confirmed;
            return this;
        }

        public Builder listener(MigrationProgressListener value) {
            this.listener = value;
            return this;
        }

        public MigrationOptions build() {
            return new MigrationOptions(database, dryRun, batchSize, tenantIds, force, skipBackup,
                    confirmSkipBackup, listener);
        }
    }
}
