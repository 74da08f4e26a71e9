package dev.switchboard.controlplane.stages;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Stage plan settings ({@code switchboard.stages}).
 *
 * @param minBake           minimum time in each stage before advancing, one per step of the plan (canary → 10 %,
 *                          10 → 25, 25 → 50, 50 → 100); 4 h, 24 h, 24 h, 24 h by default
 * @param minCanaryTenants  tenants that must be on the allow list before the canary may advance (default 2)
 */
@Validated
@ConfigurationProperties("switchboard.stages")
public record StageProperties(@DefaultValue({"4h", "24h", "24h", "24h"}) @NotNull List<Duration> minBake,
                              @DefaultValue("2") int minCanaryTenants) {

    public StageProperties {
        minBake = List.copyOf(minBake);
        if (minBake.size() != StagePlan.DEFAULT.stages().size() - 1) {
            throw new IllegalArgumentException("switchboard.stages.min-bake needs one duration per step ("
                    + (StagePlan.DEFAULT.stages().size() - 1) + "), got " + minBake.size());
        }
        for (Duration d : minBake) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("switchboard.stages.min-bake must not be negative, was " + d);
            }
        }
        if (minCanaryTenants < 0) {
            throw new IllegalArgumentException("switchboard.stages.min-canary-tenants must not be negative");
        }
    }

    /** Bake time of the stage a flag is in (index in the plan). */
    public Duration bakeOf(int stageIndex) {
        return stageIndex < minBake.size() ? minBake.get(stageIndex) : Duration.ZERO;
    }
}
