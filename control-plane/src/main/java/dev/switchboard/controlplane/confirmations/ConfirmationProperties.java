package dev.switchboard.controlplane.confirmations;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Router confirmations ({@code switchboard.confirmations}).
 *
 * @param silentAfter  a router with no confirmation or heartbeat for this long is shown as silent (routers send a
 *                     heartbeat every few seconds)
 * @param forgetAfter  a router silent for this long no longer counts among the live routers a change must reach
 *                     (a router taken out of service stops holding up {@code --wait} after this time)
 * @param staleAfter   a counted router that has not confirmed a flag's current revision this long after the change
 *                     raises a warning alert: it decides on stale flags
 * @param interval     how often completion and staleness are checked (a move to a new revision is settled at once)
 */
@Validated
@ConfigurationProperties("switchboard.confirmations")
public record ConfirmationProperties(@DefaultValue("15s") @NotNull Duration silentAfter,
                                     @DefaultValue("2m") @NotNull Duration forgetAfter,
                                     @DefaultValue("15s") @NotNull Duration staleAfter,
                                     @DefaultValue("2s") @NotNull Duration interval,
                                     @DefaultValue("true") boolean alertsEnabled) {
}
