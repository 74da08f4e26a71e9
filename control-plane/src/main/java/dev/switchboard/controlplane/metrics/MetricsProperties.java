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
 * @param blindAfter        a live router (SDK heartbeat) whose last accepted window is older than this is blind
 *                          (routers push every 2 s by default)
 * @param sdkLiveWithin     an SDK heartbeat (register or metrics, every 10 s from routers) this recent means live
 * @param routerAppName     the Unleash app name routers register with
 */
@Validated
@ConfigurationProperties("switchboard.metrics")
public record MetricsProperties(@NotNull Duration staleAfter, @NotNull Duration retention,
                                @NotNull Duration retentionInterval, Duration blindAfter, Duration sdkLiveWithin,
                                String routerAppName) {

    public MetricsProperties {
        staleAfter = staleAfter == null ? Duration.ofSeconds(30) : staleAfter;
        retention = retention == null ? Duration.ofDays(8) : retention;
        retentionInterval = retentionInterval == null ? Duration.ofMinutes(10) : retentionInterval;
        blindAfter = blindAfter == null ? Duration.ofSeconds(10) : blindAfter;
        sdkLiveWithin = sdkLiveWithin == null ? Duration.ofSeconds(30) : sdkLiveWithin;
        routerAppName = routerAppName == null || routerAppName.isBlank() ? "agent-router" : routerAppName;
    }
}
