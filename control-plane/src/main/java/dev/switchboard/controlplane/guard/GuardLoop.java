package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import java.time.Duration;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.flags.FlagStore;
import dev.switchboard.controlplane.metrics.MetricsClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Evaluates every enabled flag each interval. A slow round drops the ticks it overlaps rather than queueing
 * them; one flag's failure is logged and does not stop the others. It never sends anything itself.
 */
@Component
class GuardLoop extends PeriodicRounds {

    private static final Logger LOG = LoggerFactory.getLogger(GuardLoop.class);

    private final GuardService guard;
    private final GuardStore store;
    private final FlagStore flags;
    private final GuardProperties properties;
    private final MetricsClock clock;

    GuardLoop(GuardService guard, GuardStore store, FlagStore flags, GuardProperties properties, MetricsClock clock) {
        this.guard = guard;
        this.store = store;
        this.flags = flags;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected boolean enabled() {
        return properties.enabled();
    }

    @Override
    protected Duration every() {
        return properties.interval();
    }

    @Override
    protected Mono<Void> round(long tick) {
        Mono<Void> evaluations = flags.findAll().filter(FlagState::enabled)
                .concatMap(flag -> guard.evaluate(flag.name()).onErrorResume(e -> {
                    LOG.warn("guard evaluation of {} failed: {}", flag.name(), e.toString());
                    return Mono.empty();
                }))
                .then();
        // verdict housekeeping about once an hour
        Mono<Void> housekeeping = tick % Math.max(1, 3600 / Math.max(1, properties.interval().toSeconds())) == 0
                ? store.deleteVerdictsOlderThan(clock.now().minus(java.time.Duration.ofDays(8))).then()
                : Mono.empty();
        return evaluations.then(housekeeping).onErrorResume(e -> {
            LOG.warn("guard round failed: {}", e.toString());
            return Mono.empty();
        });
    }
}
