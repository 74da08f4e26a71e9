package dev.switchboard.migration;

/**
 * A migration or restore that could not start (or was refused) because of its input or its environment. The
 * message is one line meant to be printed as is; when this is thrown, nothing has been written.
 */
public final class MigrationException extends RuntimeException {

    /** What went wrong, with the process exit code a command-line caller should use. */
    public enum Kind {
        /** An option is invalid (batch size, --skip-backup without confirmation, conflicting options). */
        INVALID_OPTION(2),
        /** A tenant id asked for is not a business of the voice-agent database. */
        UNKNOWN_TENANT(2),
        /** A backup id that no backup has. */
        UNKNOWN_BACKUP(2),
        /** The voice-agent database cannot be reached (refused, timeout, unknown database, authentication). */
        DATABASE_UNREACHABLE(3),
        /** A table or column the migration needs is missing or has a type it cannot use. */
        SCHEMA_MISMATCH(3),
        /** Another migration or restore holds the lock on this database. */
        BUSY(3),
        /** A restore could not reproduce the backup exactly; the transaction was rolled back. */
        RESTORE_FAILED(1);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public MigrationException(Kind kind, String message) {
        super(oneLine(message));
        this.kind = kind;
    }

    public MigrationException(Kind kind, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode();
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
