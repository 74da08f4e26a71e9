package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.metrics.VariantStats;
import java.util.Map;

/**
 * What one evaluation looks at: v1 and v2 over the sliding window; over the recent window (in practice the
 * latest closed router window), which lets a sharp regression be seen within seconds instead of being diluted
 * by minutes of good traffic; over the confirm window (the last two or three router windows), on which a
 * critical error rate can be established with several hundred samples when one router window alone is too
 * noisy; v2's circuit-breaker opens over the last hour; and each tenant with enough v2 traffic over the
 * sliding window. Recent and confirm stats may be null (not looked at).
 */
public record GuardInput(String slidingLabel, VariantStats v1, VariantStats v2, String recentLabel,
                         VariantStats recentV1, VariantStats recentV2, String confirmLabel, VariantStats confirmV1,
                         VariantStats confirmV2, long v2CircuitOpensLastHour, Map<String, Pair> tenants,
                         java.util.List<Finding> sequential) {

    public record Pair(VariantStats v1, VariantStats v2) {
    }

    public GuardInput {
        tenants = Map.copyOf(tenants);
        sequential = sequential == null ? java.util.List.of() : java.util.List.copyOf(sequential);
    }

    /** Without sequential findings. */
    public GuardInput(String slidingLabel, VariantStats v1, VariantStats v2, String recentLabel, VariantStats recentV1,
                      VariantStats recentV2, String confirmLabel, VariantStats confirmV1, VariantStats confirmV2,
                      long v2CircuitOpensLastHour, Map<String, Pair> tenants) {
        this(slidingLabel, v1, v2, recentLabel, recentV1, recentV2, confirmLabel, confirmV1, confirmV2,
                v2CircuitOpensLastHour, tenants, java.util.List.of());
    }

    /** Without a confirm window. */
    public GuardInput(String slidingLabel, VariantStats v1, VariantStats v2, String recentLabel, VariantStats recentV1,
                      VariantStats recentV2, long v2CircuitOpensLastHour, Map<String, Pair> tenants) {
        this(slidingLabel, v1, v2, recentLabel, recentV1, recentV2, null, null, null, v2CircuitOpensLastHour, tenants);
    }
}
