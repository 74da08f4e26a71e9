package dev.switchboard.controlplane.metrics;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Routers as last heard from through their pushes; stale when silent for longer than the configured time. */
@Service
class StoredRouterDirectory implements RouterDirectory {

    private final MetricWindowStore store;
    private final MetricsClock clock;
    private final MetricsProperties properties;

    StoredRouterDirectory(MetricWindowStore store, MetricsClock clock, MetricsProperties properties) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public Flux<RouterView> routers() {
        var now = clock.now();
        return store.routers(now.minus(properties.staleAfter()), now.minus(properties.blindAfter()),
                now.minus(properties.sdkLiveWithin()), properties.routerAppName());
    }
}
