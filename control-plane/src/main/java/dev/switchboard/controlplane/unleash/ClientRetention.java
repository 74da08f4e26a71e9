package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps the SDK registration and metrics tables bounded, like the router windows: deletes what is older than
 * the retention and the least recently seen instances beyond the cap. Safe on every replica at once.
 */
@Component
class ClientRetention extends PeriodicRounds {

    private static final Logger LOG = LoggerFactory.getLogger(ClientRetention.class);

    private final ClientRegistry registry;
    private final UnleashProperties properties;
    private final Clock clock = Clock.systemUTC();

    ClientRetention(ClientRegistry registry, UnleashProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    protected Duration every() {
        return properties.sdkRetentionInterval();
    }

    @Override
    protected Mono<Void> round(long tick) {
        return prune();
    }

    /** One pruning pass (also what each round runs). */
    Mono<Void> prune() {
        return registry.prune(clock.instant().minus(properties.sdkRetention()), properties.sdkMaxInstances())
                .doOnNext(n -> {
                    if (n > 0) {
                        LOG.info("deleted {} SDK instance and metrics rows past retention ({}, at most {} instances)",
                                n, properties.sdkRetention(), properties.sdkMaxInstances());
                    }
                })
                .then();
    }
}
