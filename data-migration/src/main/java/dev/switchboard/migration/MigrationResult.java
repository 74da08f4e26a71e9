package dev.switchboard.migration;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The legacy migration script's result summary, plus what it left out: skipped rows, inferred outcomes, metric
 * rows, warnings, the backup taken.
 *
 * @param configsMigrated  configs written to voice_assistant_configs (inserted + updated); on a dry run, would be
 * @param configsUpdated   of those, rows of an earlier run rewritten because of --force
 * @param configsSkipped   configs in scope left alone (already migrated without --force, or a v2-native row)
 * @param callsProcessed   calls in the 30-day window aggregated into metrics
 * @param outcomesInferred voice_calls rows that got an outcome from their status
 * @param metricsRows      voice_assistant_metrics rows written (one per business with calls)
 * @param metricsSkipped   businesses whose metrics an earlier run already wrote (without --force)
 * @param errors           every error; {@link #errorSummary()} gives the first 10 and "… and N more"
 */
public record MigrationResult(Status status, boolean dryRun, Duration duration, int configsMigrated,
                              int configsUpdated, int configsSkipped, long callsProcessed, long outcomesInferred,
                              int metricsRows, int metricsSkipped, List<String> errors, List<String> warnings,
                              Optional<String> backupId, Optional<List<String>> tenantScope) {

    public enum Status { SUCCESS, FAILED }

    public static final int ERRORS_SHOWN = 10;

    public MigrationResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        tenantScope = tenantScope.map(List::copyOf);
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }

    /** Process exit code: 0 on success, 1 when the run failed (and was rolled back). */
    public int exitCode() {
        return succeeded() ? 0 : 1;
    }

    /** The first {@value #ERRORS_SHOWN} errors, then "… and N more" when there are more (as the legacy script did). */
    public List<String> errorSummary() {
        if (errors.size() <= ERRORS_SHOWN) {
            return errors;
        }
        List<String> shown = new java.util.ArrayList<>(errors.subList(0, ERRORS_SHOWN));
        shown.add("… and " + (errors.size() - ERRORS_SHOWN) + " more");
        return List.copyOf(shown);
    }
}
