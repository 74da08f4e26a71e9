package dev.switchboard.controlplane.metrics;

import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/** Read side of the router metric windows, as the dashboard and the comparison API need it. */
public interface ComparisonSource {

    Mono<Comparison> compare(String flag, Duration window);

    Mono<Comparison> compareTenant(String flag, String tenantId, Duration window);

    /** Per-minute points of both variants over the window (e.g. the last hour), oldest first. */
    Mono<List<MinutePoint>> perMinute(String flag, Duration window);
}
