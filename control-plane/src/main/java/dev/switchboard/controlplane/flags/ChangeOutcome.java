package dev.switchboard.controlplane.flags;

/**
 * The result of a change: the state after it, and whether anything changed (repeating an idempotent change
 * returns the current state with {@code changed=false}, no new revision, no new audit row).
 */
public record ChangeOutcome(FlagState flag, boolean changed) {
}
