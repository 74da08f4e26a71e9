package dev.switchboard.controlplane.confirmations;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every {@code switchboard.confirmations.interval}: records completions that no single confirmation completed (a
 * router stopped counting, two confirmations crossed) and raises or resolves the stale-router alerts.
 */
@Component
class ConfirmationRounds extends PeriodicRounds {

    private final Confirmations confirmations;
    private final ConfirmationProperties properties;

    ConfirmationRounds(Confirmations confirmations, ConfirmationProperties properties) {
        this.confirmations = confirmations;
        this.properties = properties;
    }

    @Override
    protected Duration every() {
        return properties.interval();
    }

    @Override
    protected Mono<Void> round(long tick) {
        return confirmations.round();
    }
}
