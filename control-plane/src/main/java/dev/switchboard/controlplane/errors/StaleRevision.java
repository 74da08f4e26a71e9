package dev.switchboard.controlplane.errors;

/** Optimistic concurrency: the caller acted on a revision that is no longer current. */
public final class StaleRevision extends SwitchboardException {

    private final long expected;
    private final Object current;

    public StaleRevision(long expected, long actual, Object current) {
        super("the flag is at revision " + actual + ", not " + expected
                + ": someone else changed it; reload and decide again");
        this.expected = expected;
        this.current = current;
    }

    public long expected() {
        return expected;
    }

    /** The current state, so the caller can decide again without another request. */
    public Object current() {
        return current;
    }
}
