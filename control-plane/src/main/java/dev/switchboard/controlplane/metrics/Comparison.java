package dev.switchboard.controlplane.metrics;

import java.time.Duration;
import java.time.Instant;

/** v1 against v2 for one flag (or one tenant of it) over a window ending at {@code until}. */
public record Comparison(String flag, java.util.Optional<String> tenantId, Duration window, Instant until,
                         VariantStats v1, VariantStats v2) {
}
