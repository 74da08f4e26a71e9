package dev.switchboard.controlplane.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Deletes router windows past their retention, periodically; safe on every replica at once. */
@Component
class MetricsRetention implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsRetention.class);

    private final MetricWindowStore store;
    private final MetricsClock clock;
    private final MetricsProperties properties;
    private volatile Disposable running;

    MetricsRetention(MetricWindowStore store, MetricsClock clock, MetricsProperties properties) {
        this.store = store;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = Flux.interval(properties.retentionInterval(), properties.retentionInterval(), Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> store.deleteOlderThan(clock.now().minus(properties.retention()))
                        .doOnNext(n -> {
                            if (n > 0) {
                                LOG.info("deleted {} router metric windows older than {}", n, properties.retention());
                            }
                        })
                        .onErrorResume(e -> {
                            LOG.warn("metric retention failed: {}", e.toString());
                            return reactor.core.publisher.Mono.empty();
                        }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable d = running;
        return d != null && !d.isDisposed();
    }
}
