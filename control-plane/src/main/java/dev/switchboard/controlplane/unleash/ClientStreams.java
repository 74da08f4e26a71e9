package dev.switchboard.controlplane.unleash;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens SDK streams: each one hydrates from the current {@link ClientStates} state, then follows {@link StateChanges}, with keep-alive
 * comments in between. Nothing here blocks: loads are R2DBC, fan-out is Reactor.
 *
 * <p>A stream subscribes to changes <em>before</em> loading its first state, holding them in its own bounded
 * buffer, so a change committed while the first state is loading is never lost (see {@link ClientStream} for
 * why the overlap is harmless). A client too slow to drain its buffer has its stream closed rather than
 * holding up the others; its SDK reconnects and hydrates again.
 *
 * <p>On shutdown the streams are completed first (this bean stops before the web server's graceful shutdown),
 * so SDKs reconnect to another replica at once and the shutdown does not wait on endless responses.
 */
@Component
class ClientStreams implements SmartLifecycle {

    private final StateChanges changes;
    private final ClientStates states;
    private final JsonMapper json;
    private final UnleashProperties properties;
    private final AtomicInteger open = new AtomicInteger();
    // replaced on every start(): a stopped-then-restarted context (Spring pauses cached test contexts) must
    // not close every new stream at once
    private volatile Sinks.One<Boolean> shutdown = Sinks.one();
    private volatile boolean running;

    ClientStreams(StateChanges changes, ClientStates states, JsonMapper json, UnleashProperties properties,
                  MeterRegistry meters) {
        this.changes = changes;
        this.states = states;
        this.json = json;
        this.properties = properties;
        Gauge.builder("switchboard.unleash.streams", open, AtomicInteger::get)
                .description("open Unleash SDK streams on this replica").register(meters);
    }

    Flux<ServerSentEvent<String>> open() {
        return Flux.defer(() -> {
            Sinks.Many<StateChange> pending = Sinks.many().unicast()
                    .onBackpressureBuffer(Queues.<StateChange>get(properties.streamBuffer()).get());
            Disposable live = changes.changes().subscribe(change -> {
                if (pending.tryEmitNext(change).isFailure()) {
                    pending.tryEmitError(new IllegalStateException("SDK stream fell too far behind; closing it"));
                }
            }, pending::tryEmitError, pending::tryEmitComplete);
            ClientStream stream = new ClientStream(json);
            Flux<ServerSentEvent<String>> events = states.current()
                    .<StateChange>map(StateChange.Hydrate::new)
                    .concatWith(pending.asFlux())
                    .concatMap(change -> Mono.justOrEmpty(stream.next(change)));
            Flux<ServerSentEvent<String>> keepAlive = Flux.interval(properties.keepAlive(), properties.keepAlive())
                    .map(tick -> ServerSentEvent.<String>builder().comment("keep-alive").build());
            open.incrementAndGet();
            return Flux.merge(events, keepAlive)
                    .takeUntilOther(shutdown.asMono())
                    .doFinally(signal -> {
                        live.dispose();
                        open.decrementAndGet();
                    });
        });
    }

    @Override
    public void start() {
        shutdown = Sinks.one();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        shutdown.tryEmitValue(Boolean.TRUE);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
