package dev.switchboard.controlplane.changes;

import dev.switchboard.controlplane.flags.FlagState;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Listens on the flag-change channel over one dedicated connection (outside the pool, since LISTEN is tied to
 * a session) and republishes what it hears. It reconnects by itself with backoff and emits a resync event each
 * time it (re)connects, so subscribers (SSE streams, caches) reload anything they may have missed.
 *
 * <p>{@link #sequence()} moves before each change is published, when the listener drops, and after a change
 * committed on this replica: a cache that remembers the sequence it loaded at is still valid exactly while the
 * sequence has not moved and {@link #listening()} holds. Checking costs two volatile reads, no database call.
 */
@Component
public class ChangeFeed implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final ConnectionFactory listenerConnections;
    private final Sinks.Many<FlagChanged> sink = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<FlagState> committed = Sinks.many().multicast().directBestEffort();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean listening;
    private volatile Disposable subscription;

    ChangeFeed(R2dbcProperties properties) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(properties.getUrl()).mutate();
        if (properties.getUsername() != null) {
            options.option(ConnectionFactoryOptions.USER, properties.getUsername());
        }
        if (properties.getPassword() != null) {
            options.option(ConnectionFactoryOptions.PASSWORD, properties.getPassword());
        }
        options.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(3));
        this.listenerConnections = ConnectionFactories.get(options.build());
    }

    /** Committed changes, as they happen. Hot: subscribers see what happens after they subscribe. */
    public Flux<FlagChanged> changes() {
        return sink.asFlux();
    }

    /** Moves whenever flag state may have changed since it was last read; see the class comment. */
    public long sequence() {
        return sequence.get();
    }

    /**
     * Whether changes are being heard right now. While not, nothing tells a cache that it went stale, so
     * callers must not trust one.
     */
    public boolean listening() {
        return listening;
    }

    /**
     * States committed on this replica, as they commit (right after each commit, on the committing thread, before
     * the change's caller gets its answer). Hot; a subscriber without demand misses them, and then still hears of
     * the change through {@link #changes()} like every other replica.
     */
    public Flux<FlagState> committedHere() {
        return committed.asFlux();
    }

    /**
     * A change committed on this replica: its own readers see it at once (the sequence moves first, so no cache
     * loaded before the commit stays valid), and {@link #committedHere()} hands the state on without waiting for
     * the NOTIFY.
     */
    void committedHere(FlagState state) {
        sequence.incrementAndGet();
        // commits end on several threads at once; the sink takes one emission at a time
        synchronized (committed) {
            try {
                committed.tryEmitNext(state);
            } catch (RuntimeException e) {
                // the change is committed whatever a subscriber did; the NOTIFY still tells every replica
                LOG.warn("could not hand a committed flag state to this replica's subscribers: {}", e.toString());
            }
        }
    }

    private Flux<FlagChanged> listen() {
        return Flux.usingWhen(Mono.from(listenerConnections.create()).cast(PostgresqlConnection.class),
                        connection -> connection.createStatement("LISTEN " + ChangeNotifier.CHANNEL).execute()
                                .flatMap(result -> result.getRowsUpdated()).then()
                                .doOnSuccess(ignored -> LOG.info("listening for flag changes"))
                                .thenMany(Flux.just(FlagChanged.resync())
                                        .concatWith(connection.getNotifications()
                                                .map(n -> FlagChanged.parse(n.getParameter() == null ? "" : n.getParameter()))))
                                // the notification stream completes when the connection drops: treat as an error to retry
                                .concatWith(Mono.error(new IllegalStateException("notification connection closed"))),
                        PostgresqlConnection::close)
                .doOnError(e -> {
                    listening = false;
                    sequence.incrementAndGet();
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(3))
                        .doBeforeRetry(signal -> LOG.warn("flag-change listener reconnecting: {}",
                                signal.failure().toString())));
    }

    @Override
    public void start() {
        subscription = listen().subscribe(change -> {
            sequence.incrementAndGet();
            if (change.flag().isEmpty()) {
                listening = true;
            }
            sink.emitNext(change, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(50)));
        });
    }

    @Override
    public void stop() {
        listening = false;
        sequence.incrementAndGet();
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }
}
