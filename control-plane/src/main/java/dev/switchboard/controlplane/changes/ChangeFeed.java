package dev.switchboard.controlplane.changes;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
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
 */
@Component
public class ChangeFeed implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

    private final ConnectionFactory listenerConnections;
    private final Sinks.Many<FlagChanged> sink = Sinks.many().multicast().directBestEffort();
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
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(3))
                        .doBeforeRetry(signal -> LOG.warn("flag-change listener reconnecting: {}",
                                signal.failure().toString())));
    }

    @Override
    public void start() {
        subscription = listen().subscribe(change -> sink.emitNext(change, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(50))));
    }

    @Override
    public void stop() {
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
