package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.metrics.VariantStats;
import java.util.Map;

/**
 * What one evaluation looks at: v1 and v2 over the sliding window and over the recent window (which lets a
 * sharp regression be seen within seconds instead of being diluted by minutes of good traffic), v2's
 * circuit-breaker opens over the last hour, and each tenant with enough v2 traffic over the sliding window.
 */
public record GuardInput(String slidingLabel, VariantStats v1, VariantStats v2, String recentLabel,
                         VariantStats recentV1, VariantStats recentV2, long v2CircuitOpensLastHour,
                         Map<String, Pair> tenants) {

    public record Pair(VariantStats v1, VariantStats v2) {
    }

    public GuardInput {
        tenants = Map.copyOf(tenants);
    }
}
