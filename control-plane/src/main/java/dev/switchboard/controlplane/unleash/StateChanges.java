package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.changes.ChangeFeed;
import dev.switchboard.controlplane.changes.FlagChanged;
import dev.switchboard.controlplane.flags.FlagStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Turns the committed-change notifications (heard through Postgres LISTEN, so changes made on any replica
 * arrive here) into flag states, loading each once per replica however many SDK streams are open.
 *
 * <p>Loads run one after another, so the states come out in commit order. A load that keeps failing ends
 * the flux with an error: every open stream is then closed, and the SDKs reconnect and hydrate from the
 * database again, instead of silently missing a change.
 */
@Component
class StateChanges {

    private static final Logger LOG = LoggerFactory.getLogger(StateChanges.class);

    private static final int MAX_PENDING = 100_000;

    private final Flux<StateChange> changes;

    StateChanges(ChangeFeed feed, FlagStore flags) {
        this.changes = feed.changes()
                // the feed drops what a subscriber has not asked for; queue notifications while a load runs
                // (a burst beyond the bound closes the streams, and their SDKs hydrate again)
                .onBackpressureBuffer(MAX_PENDING, dropped -> LOG.warn("too many flag changes pending; "
                        + "closing SDK streams so they hydrate again"), BufferOverflowStrategy.ERROR)
                .concatMap(change -> load(change, flags)
                        .retryWhen(Retry.backoff(3, Duration.ofMillis(100)))
                        .doOnError(e -> LOG.warn("could not load flag state after a change; closing SDK streams: {}",
                                e.toString())))
                // one upstream subscription shared by every stream, connected while at least one is open
                .publish()
                .refCount();
    }

    /** Hot: what changes after subscribing. */
    Flux<StateChange> changes() {
        return changes;
    }

    private static Mono<StateChange> load(FlagChanged change, FlagStore flags) {
        return change.flag()
                .<Mono<StateChange>>map(flag -> flags.find(flag).map(StateChange.FlagUpdated::new))
                .orElseGet(() -> flags.findAll().collectList().map(StateChange.FullState::new));
    }
}
