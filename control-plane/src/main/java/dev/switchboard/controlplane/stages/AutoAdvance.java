package dev.switchboard.controlplane.stages;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import dev.switchboard.controlplane.errors.SwitchboardException;
import dev.switchboard.controlplane.guard.GuardService;
import dev.switchboard.controlplane.guard.GuardStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * For flags whose guard settings ask for it: advance to the next stage as soon as the go criteria hold (never
 * forced). A refused advance is the normal case and stays quiet.
 */
@Component
class AutoAdvance extends PeriodicRounds {

    private static final Logger LOG = LoggerFactory.getLogger(AutoAdvance.class);
    private static final Duration EVERY = Duration.ofSeconds(30);

    private final StageAdvance stages;
    private final GuardStore guardStore;

    AutoAdvance(StageAdvance stages, GuardStore guardStore) {
        this.stages = stages;
        this.guardStore = guardStore;
    }

    @Override
    protected Duration every() {
        return EVERY;
    }

    @Override
    protected Mono<Void> round(long tick) {
        return round();
    }

    Mono<Void> round() {
        return guardStore.autoAdvanceCandidates()
                .concatMap(flag -> stages.advance(flag, "auto-advance: go criteria hold", false, GuardService.GUARD,
                                Optional.of("auto-advance"))
                        .doOnNext(a -> LOG.info("auto-advanced {} from {} to {}", flag, a.from(), a.to()))
                        .onErrorResume(SwitchboardException.class, e -> Mono.empty())
                        .onErrorResume(e -> {
                            LOG.warn("auto-advance of {} failed: {}", flag, e.toString());
                            return Mono.empty();
                        }))
                .then()
                .onErrorResume(e -> Mono.empty());
    }
}
