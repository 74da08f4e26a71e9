package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.changes.ChangeFeed;
import dev.switchboard.controlplane.changes.FlagChanged;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.flags.FlagStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The flag states SDK streams follow on this replica, shared by every stream, from two sources:
 * <ul>
 * <li>a change committed on this replica: the committed state itself, handed over right after the commit
 * ({@link ChangeFeed#committedHere()}) — no NOTIFY round trip, no read back, and before the change's API answer is
 * written;</li>
 * <li>a change committed on any replica, heard through Postgres LISTEN: one read of the flag, unless this replica
 * already passed on that revision or a newer one (its own commits come back this way too, and cost nothing).</li>
 * </ul>
 *
 * <p>Every state goes through one gate that passes a flag's state only if its revision is newer than the last one
 * passed for that flag, so a stream never gets a state twice nor an older one after a newer one; the newest state
 * always gets through, from whichever source has it first. Reads after a notification run one after another; a read
 * that keeps failing ends the flux with an error: every open stream is then closed, and the SDKs reconnect and
 * hydrate from the database again, instead of silently missing a change.
 */
@Component
class StateChanges {

    private static final Logger LOG = LoggerFactory.getLogger(StateChanges.class);

    private static final int MAX_PENDING = 100_000;

    private final Flux<StateChange> changes;
    /** Per flag, the newest revision passed on to the streams. Written only inside the gate (one at a time). */
    private final Map<String, Long> passed = new ConcurrentHashMap<>();
    private final Counter loads;
    private final Counter local;

    StateChanges(ChangeFeed feed, FlagStore flags, MeterRegistry meters) {
        this.loads = Counter.builder("switchboard.unleash.stream.loads")
                .description("flag reads for SDK streams after a change notification (never for a revision "
                        + "this replica already passed on, such as its own commits)")
                .register(meters);
        this.local = Counter.builder("switchboard.unleash.stream.local")
                .description("flag states committed on this replica and handed to its SDK streams directly")
                .register(meters);
        Flux<StateChange> committedHere = feed.committedHere()
                .<StateChange>map(StateChange.FlagUpdated::new)
                .doOnNext(change -> local.increment());
        Flux<StateChange> heard = feed.changes()
                // the feed drops what a subscriber has not asked for; queue notifications while a load runs
                // (a burst beyond the bound closes the streams, and their SDKs hydrate again)
                .onBackpressureBuffer(MAX_PENDING, dropped -> LOG.warn("too many flag changes pending; "
                        + "closing SDK streams so they hydrate again"), BufferOverflowStrategy.ERROR)
                .concatMap(change -> alreadyPassed(change) ? Mono.<StateChange>empty() : load(change, flags)
                        .retryWhen(Retry.backoff(3, Duration.ofMillis(100)))
                        .doOnError(e -> LOG.warn("could not load flag state after a change; closing SDK streams: {}",
                                e.toString())));
        this.changes = Flux.merge(committedHere, heard)
                // merge hands on one element at a time, whichever thread it came from: the gate needs no lock
                .<StateChange>handle((change, sink) -> {
                    if (pass(change)) {
                        sink.next(change);
                    }
                })
                // one upstream subscription shared by every stream, connected while at least one is open
                .publish()
                .refCount();
    }

    /** Hot: what changes after subscribing. */
    Flux<StateChange> changes() {
        return changes;
    }

    private boolean alreadyPassed(FlagChanged change) {
        return change.flag().map(flag -> passed.getOrDefault(flag, -1L) >= change.revision()).orElse(false);
    }

    private boolean pass(StateChange change) {
        if (change instanceof StateChange.FlagUpdated updated) {
            FlagState state = updated.state();
            if (passed.getOrDefault(state.name(), -1L) >= state.revision()) {
                return false;
            }
            passed.put(state.name(), state.revision());
            return true;
        }
        if (change instanceof StateChange.FullState full) {
            // always passed on (a resync); each stream keeps what it already had if newer
            full.flags().forEach(flag -> passed.merge(flag.name(), flag.revision(), Math::max));
        }
        return true;
    }

    /**
     * Runs each load to its end even if the last stream closes meanwhile: cancelling a query in the middle of its
     * rows leaves the driver's row buffers unreleased (Netty reports them as leaks).
     */
    private Mono<StateChange> load(FlagChanged change, FlagStore flags) {
        return Mono.defer(() -> {
            loads.increment();
            return Mono.fromFuture(change.flag()
                    .<Mono<StateChange>>map(flag -> flags.find(flag).map(StateChange.FlagUpdated::new))
                    .orElseGet(() -> flags.findAll().collectList().map(StateChange.FullState::new))
                    .toFuture(), true);
        });
    }
}
