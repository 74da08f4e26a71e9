package dev.switchboard.cli;

import dev.switchboard.migration.MigrationException;

/**
 * The data migration's failures in the CLI's exit code scheme ({@link ExitCodes}), decided in this one place. The
 * switch has no default, so a new {@link MigrationException.Kind} does not compile until it is placed here.
 */
final class MigrationExitCodes {

    private MigrationExitCodes() {
    }

    static int of(MigrationException e) {
        return switch (e.kind()) {
            // the caller's mistake: fix the command line
            case INVALID_OPTION, UNKNOWN_TENANT, UNKNOWN_BACKUP -> ExitCodes.USAGE;
            // the voice-agent database cannot be reached or is not the database we expect (a wrong URL, usually)
            case DATABASE_UNREACHABLE, SCHEMA_MISMATCH -> ExitCodes.UNREACHABLE;
            // refused: someone else holds the lock (as a 409), or a restore could not be exact and was rolled back
            case BUSY, RESTORE_FAILED -> ExitCodes.REFUSED;
        };
    }

    static CliFailure failure(MigrationException e) {
        return new CliFailure(of(e), e.getMessage());
    }
}
