package dev.switchboard.controlplane.scheduling;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Work that runs in rounds on a fixed interval for as long as the application runs (guard analysis, alert
 * delivery, metric retention, auto-advance). One round at a time: a tick that comes while a round is still
 * running is dropped, not queued; a failed round is logged and the next tick tries again; stop() ends it and
 * start() can begin it again (Spring pauses and restarts contexts).
 */
public abstract class PeriodicRounds implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private volatile Disposable running;

    /** Time between two rounds. */
    protected abstract Duration every();

    /** One round; {@code tick} counts rounds since start. */
    protected abstract Mono<Void> round(long tick);

    /** Whether rounds should run at all (configuration may switch them off). */
    protected boolean enabled() {
        return true;
    }

    @Override
    public void start() {
        if (!enabled()) {
            return;
        }
        Duration every = every();
        running = Flux.interval(every, every, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> round(tick)).onErrorResume(e -> {
                    log.warn("round failed: {}", e.toString());
                    return Mono.empty();
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
