package dev.switchboard.controlplane.metrics;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Deletes router windows past their retention, periodically; safe on every replica at once. */
@Component
class MetricsRetention extends PeriodicRounds {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRetention.class);

    private final MetricWindowStore store;
    private final MetricsClock clock;
    private final MetricsProperties properties;

    MetricsRetention(MetricWindowStore store, MetricsClock clock, MetricsProperties properties) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    protected java.time.Duration every() {
        return properties.retentionInterval();
    }

    @Override
    protected reactor.core.publisher.Mono<Void> round(long tick) {
        return store.deleteOlderThan(clock.now().minus(properties.retention()))
                .doOnNext(n -> {
                    if (n > 0) {
                        LOG.info("deleted {} router metric windows older than {}", n, properties.retention());
                    }
                })
                .then();
    }
}
