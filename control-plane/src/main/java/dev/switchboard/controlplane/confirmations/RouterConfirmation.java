package dev.switchboard.controlplane.confirmations;

import java.time.Instant;

/**
 * One router's confirmation of a flag as the API shows it.
 *
 * @param current              whether it decides with the flag's current revision
 * @param delayMs              for the current revision: how long after the change the router switched (its apply
 *                             time, bounded by the change time and by when the control plane heard it)
 * @param firstDecisionDelayMs how long after the change it first decided a call on the current revision
 * @param silent               no confirmation or heartbeat for longer than {@code silentAfter}
 */
public record RouterConfirmation(String routerId, long revision, boolean current, String source, Instant appliedAt,
                                 Instant receivedAt, Instant firstDecisionAt, Instant confirmedAt, Instant lastSeen,
                                 boolean silent, Double delayMs, Double firstDecisionDelayMs) {
}
