package dev.switchboard.migration;

/** Progress of a run, for a progress bar on a terminal or plain lines otherwise. Called on the running thread. */
public interface MigrationProgressListener {

    MigrationProgressListener NONE = new MigrationProgressListener() {
    };

    /** A step starts: {@code number} of {@code total} (as in "[1/5] Creating backup..."). */
    default void stepStarted(int number, int total, String title) {
    }

    /** Work done inside a step, e.g. configs written so far out of the configs in scope. */
    default void progress(String step, long done, long total) {
    }

    /** Something worth a line of its own (a warning, a skipped step). */
    default void note(String message) {
    }
}
