package dev.switchboard.controlplane.web;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Readiness part {@code r2dbc} (the bean name less its suffix, in place of the stock one): the stock database check,
 * bounded. A database that accepts connections but does not answer (a network partition, a stalled server) would
 * otherwise hold the check for as long as a connection may be awaited (20 s) or a statement may run (30 s), longer
 * than any load balancer waits for a probe; bounded, readiness says DOWN within {@link #LIMIT} and says why.
 */
@Component("r2dbcHealthContributor")
class DatabaseHealth implements ReactiveHealthIndicator {

    static final Duration LIMIT = Duration.ofSeconds(3);

    private final ConnectionFactoryHealthIndicator check;

    DatabaseHealth(ConnectionFactory connections) {
        this.check = new ConnectionFactoryHealthIndicator(connections);
    }

    @Override
    public Mono<Health> health() {
        return check.health(true)
                .timeout(LIMIT)
                .onErrorResume(TimeoutException.class, e -> Mono.just(Health.down()
                        .withDetail("reason", "the database did not answer within " + LIMIT.toSeconds() + " s")
                        .build()));
    }
}
