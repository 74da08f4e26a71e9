package dev.switchboard.controlplane.metrics;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Router metric intake settings.
 *
 * @param staleAfter        a router not heard from for this long is shown as stale
 * @param retention         windows older than this are deleted
 * @param retentionInterval how often the retention job runs
 */
@Validated
@ConfigurationProperties("switchboard.metrics")
public record MetricsProperties(@NotNull Duration staleAfter, @NotNull Duration retention,
                                @NotNull Duration retentionInterval) {

    public MetricsProperties {
        staleAfter = staleAfter == null ? Duration.ofSeconds(30) : staleAfter;
        retention = retention == null ? Duration.ofDays(8) : retention;
        retentionInterval = retentionInterval == null ? Duration.ofMinutes(10) : retentionInterval;
    }
}
