package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.changes.ChangeFeed;
import dev.switchboard.controlplane.flags.FlagStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * The flag state SDKs read, loaded once per change and shared by every poll and every new stream on this
 * replica. It is valid while the change feed's sequence has not moved: any change heard through LISTEN/NOTIFY
 * (made on any replica), a change committed here, or the listener dropping moves it. While the listener is
 * down every read goes to the database, since nothing would say the state went stale.
 *
 * <p>{@link #fresh()} is the fast path: a poll whose state is already loaded costs two volatile reads, no
 * database round trip and no serialisation. A miss starts one load that every concurrent request joins; the
 * load runs to the end even when the requests that wanted it are aborted, so a client hanging up never cancels
 * a query in the middle of its rows.
 */
@Component
class ClientStates {

    private record Loading(long sequence, CompletableFuture<ClientState> state) {
    }

    private final ChangeFeed feed;
    private final FlagStore flags;
    private final JsonMapper json;
    private final AtomicReference<Loading> loading = new AtomicReference<>();
    private final Counter loads;
    private volatile ClientState ready;

    ClientStates(ChangeFeed feed, FlagStore flags, JsonMapper json, MeterRegistry meters) {
        this.feed = feed;
        this.flags = flags;
        this.json = json;
        this.loads = Counter.builder("switchboard.unleash.state.loads")
                .description("flag state loads for the Unleash client API (one per change, not per request)")
                .register(meters);
    }

    /** The loaded state if it is still current, else null. */
    ClientState fresh() {
        ClientState state = ready;
        return state != null && feed.listening() && state.sequence() == feed.sequence() ? state : null;
    }

    /** The current state: the kept one, or one load shared with every other request that missed. */
    Mono<ClientState> current() {
        ClientState state = fresh();
        if (state != null) {
            return Mono.just(state);
        }
        return Mono.deferContextual(context -> {
            while (true) {
                long sequence = feed.sequence();
                Loading running = loading.get();
                if (running != null && running.sequence() == sequence && feed.listening()
                        && !running.state().isCompletedExceptionally()) {
                    return Mono.fromFuture(running.state(), true);
                }
                Loading fresh = new Loading(sequence, new CompletableFuture<>());
                if (loading.compareAndSet(running, fresh)) {
                    load(fresh, Context.of(context));
                    return Mono.fromFuture(fresh.state(), true);
                }
            }
        });
    }

    /** Runs detached from the request (an aborted request does not cancel it), in the first requester's context. */
    private void load(Loading target, Context context) {
        loads.increment();
        flags.findAll().collectList()
                .map(list -> new ClientState(target.sequence(), list, json))
                .subscribe(state -> {
                    if (feed.listening() && feed.sequence() == target.sequence()) {
                        ready = state;
                    }
                    target.state().complete(state);
                }, error -> {
                    loading.compareAndSet(target, null);
                    target.state().completeExceptionally(error);
                }, null, context);
    }
}
