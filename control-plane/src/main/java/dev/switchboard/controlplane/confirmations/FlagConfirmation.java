package dev.switchboard.controlplane.confirmations;

import java.time.Instant;
import java.util.List;

/**
 * Whether a flag's current revision has reached every live router: {@code confirmedBy} "9/10", the slowest router
 * and its delay, the routers still pending, and each router's state.
 *
 * @param changedAt     when the current revision was committed
 * @param complete      every live router (at least one) confirmed the current revision
 * @param completeAt    when the last of them switched (change time + slowest delay), once complete
 * @param slowestRouter the router that switched last among those that confirmed
 * @param slowestDelayMs its delay after the change
 * @param pending       live routers that have not confirmed the current revision
 */
public record FlagConfirmation(long revision, Instant changedAt, String confirmedBy, int confirmed, int routers,
                               boolean complete, Instant completeAt, String slowestRouter, Double slowestDelayMs,
                               List<String> pending, List<RouterConfirmation> routerStates) {
}
