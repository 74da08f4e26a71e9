package dev.switchboard.router.shared;

import dev.switchboard.router.config.RouterProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The routers' shared state on Redis (Lettuce, one pipelined connection per router), failing open: every command
 * has a short timeout; a failure is counted ({@code switchboard_router_shared_state_errors_total}), the router
 * then decides locally and skips Redis for {@code retry-after} instead of paying the timeout on each webhook, and
 * what it decided meanwhile (pins) is written when Redis is back. Without a URL nothing here talks to anyone.
 *
 * <p>Each event loop of the intake gets a connection of its own, registered on that loop (as the backend connection
 * pools are): a webhook's commands are written, answered and continued on the thread that took the webhook, and
 * then forwarded from it, with no hand-off to a Redis I/O thread and back (each hand-off a wake-up of another
 * thread; measured on two cores, 13-25 % less router CPU per webhook with Redis). Until a loop's connection
 * is open, and for callers off the event loops, one shared connection on Lettuce's own I/O thread serves.
 *
 * <p>Commands are pipelined per event-loop turn: a command issued on an event loop is buffered, and the loop flushes
 * everything its turn buffered once, after the webhooks it is handling (a webhook's pin and retry claim, other
 * webhooks' answers). One write to Redis then carries several commands, and Redis reads them in one go, instead of
 * a write and a system call on both sides per command. Commands issued off an event loop are flushed at once.
 */
@Component("sharedState")
public class SharedStore implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(SharedStore.class);

    private final RouterProperties.Redis config;
    private final RedisClient client;
    private final ClientResources resources;
    private final Counter errors;
    private final ConcurrentLinkedQueue<PendingWrite> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final ScheduledExecutorService recovery;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long downUntilNanos;
    private volatile String lastError = "";
    /** Event loops with a flush of the shared connection already queued for the end of their current turn. */
    private final java.util.Set<io.netty.util.concurrent.EventExecutor> flushQueued = ConcurrentHashMap.newKeySet();
    /** The connection of each event loop that issued a command (opened on first use). */
    private final Map<EventLoop, LoopConnection> perLoop = new ConcurrentHashMap<>();
    private final RedisURI uri;
    private final ClientOptions options;

    @org.springframework.beans.factory.annotation.Autowired
    public SharedStore(RouterProperties properties, MeterRegistry meters) {
        this(properties.redis(), meters);
    }

    /** No shared state: each router on its own (tests of the local behaviour). */
    public static SharedStore none() {
        return new SharedStore(new RouterProperties.Redis(null, Duration.ofMillis(50), Duration.ofSeconds(1), "none:", 0),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    SharedStore(RouterProperties.Redis config, MeterRegistry meters) {
        this.config = config;
        this.errors = Counter.builder("switchboard.router.shared.state.errors")
                .description("shared-state operations that failed, timed out or were skipped because Redis was away (the router decided locally)")
                .register(meters);
        Gauge.builder("switchboard.router.shared.state.available", () -> available() ? 1 : 0)
                .description("1 while the shared router state (Redis) is in use, 0 when deciding locally")
                .register(meters);
        Gauge.builder("switchboard.router.shared.state.pending.writes", pendingCount, AtomicInteger::get)
                .description("pins decided while Redis was away, written when it is back")
                .register(meters);
        if (config.enabled()) {
            this.uri = RedisURI.create(config.url());
            uri.setTimeout(config.commandTimeout());
            // Lettuce's default resources record every command's latency with a pause detector (threads waking every
            // millisecond) when LatencyUtils is on the class path, as it is with Micrometer: off, and one I/O thread.
            this.resources = DefaultClientResources.builder()
                    .ioThreadPoolSize(1)
                    .computationThreadPoolSize(1)
                    .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                    .build();
            this.client = RedisClient.create(resources, uri);
            this.options = ClientOptions.builder()
                    .autoReconnect(true)
                    // while disconnected, fail at once instead of queueing webhooks behind a reconnect
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                    .build();
            client.setOptions(options);
            this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "shared-state-recovery");
                t.setDaemon(true);
                return t;
            });
            recovery.execute(this::connect);
            long period = Math.max(100, config.retryAfter().toMillis());
            recovery.scheduleWithFixedDelay(this::recover, period, period, TimeUnit.MILLISECONDS);
        } else {
            this.uri = null;
            this.options = null;
            this.resources = null;
            this.client = null;
            this.recovery = null;
        }
    }

    /** Whether shared state is configured at all (else every router keeps its own, as a single router does). */
    public boolean enabled() {
        return config.enabled();
    }

    /** Whether a command may be sent now (configured, connected, not inside the retry-after window). */
    public boolean available() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen() && System.nanoTime() - downUntilNanos >= 0;
    }

    public String key(String kind, String scopedKey) {
        return config.keyPrefix() + kind + ":" + scopedKey;
    }

    /** SET key value NX PX ttl GET: empty when this router's value was set, else the value already there. */
    public Mono<String> setIfAbsentOrGet(String key, String value, Duration ttl) {
        return run(redis -> redis.setGet(key, value, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    /** SET key value NX PX ttl: true when set. */
    public Mono<Boolean> setIfAbsent(String key, String value, Duration ttl) {
        return run(redis -> redis.set(key, value, SetArgs.Builder.nx().px(ttl.toMillis()))).map("OK"::equals)
                .defaultIfEmpty(false);
    }

    public Mono<String> get(String key) {
        return run(redis -> redis.get(key));
    }

    /** Overwrites with a fresh TTL; fire and forget (answered webhooks must not wait on it). */
    public void put(String key, String value, Duration ttl) {
        run(redis -> redis.set(key, value, SetArgs.Builder.px(ttl.toMillis()))).subscribe(v -> {}, e -> {});
    }

    /** Extends a key's TTL; fire and forget. */
    public void touch(String key, Duration ttl) {
        run(redis -> redis.pexpire(key, ttl.toMillis())).subscribe(v -> {}, e -> {});
    }

    public void delete(String key) {
        run(redis -> redis.del(key)).subscribe(v -> {}, e -> {});
    }

    /** A pin decided while Redis was away: written (NX, it never overrides another router's) when it is back. */
    public void writeLater(String key, String value, Duration ttl) {
        if (!enabled()) {
            return;
        }
        if (pendingCount.incrementAndGet() > config.maxPendingWrites()) {
            pendingCount.decrementAndGet();
            return; // bounded: beyond this the oldest outage decisions stay local
        }
        pending.add(new PendingWrite(key, value, ttl, System.nanoTime()));
    }

    public long errorCount() {
        return (long) errors.count();
    }

    private <T> Mono<T> run(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        if (!available()) {
            if (config.enabled()) {
                errors.increment(); // decided locally because Redis is away
            }
            return Mono.error(new SharedStateUnavailable("shared state unavailable" + (lastError.isEmpty() ? "" : ": " + lastError)));
        }
        // no Reactor timeout: Lettuce times every command out itself (TimeoutOptions), on its timer wheel, without a
        // task on another thread per command
        return Mono.fromCompletionStage(() -> {
                    io.netty.util.concurrent.EventExecutor executor = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
                    LoopConnection own = executor instanceof EventLoop loop ? onLoop(loop) : null;
                    if (own != null) {
                        CompletionStage<T> stage = command.apply(own.connection.async());
                        own.flushSoon();
                        return stage;
                    }
                    StatefulRedisConnection<String, String> c = connection;
                    CompletionStage<T> stage = command.apply(c.async());
                    flushSoon(c);
                    return stage;
                })
                .onErrorMap(e -> !(e instanceof SharedStateUnavailable), e -> {
                    failed(e);
                    return new SharedStateUnavailable(e.toString());
                });
    }

    /** The open connection of {@code loop}, opening it on first use; null while it is not open (the shared one serves). */
    private LoopConnection onLoop(EventLoop loop) {
        LoopConnection own = perLoop.get(loop);
        if (own == null) {
            own = perLoop.computeIfAbsent(loop, this::open);
        }
        return own.connection != null && own.connection.isOpen() ? own : null;
    }

    private LoopConnection open(EventLoop loop) {
        LoopConnection own = new LoopConnection(loop);
        // the loop's own Lettuce client: its sockets on this loop; timer and computation threads shared
        own.resources = DefaultClientResources.builder()
                .eventLoopGroupProvider(new OneLoop(loop))
                .eventExecutorGroup(resources.eventExecutorGroup())
                .timer(resources.timer())
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .build();
        own.client = RedisClient.create(own.resources, uri);
        own.client.setOptions(options);
        // connected from the recovery thread: resolving the address must not block the loop
        recovery.execute(() -> own.client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, e) -> {
            if (e != null) {
                // Redis away, or a transport this loop cannot register: the shared connection serves this loop,
                // and the loop's next command after retry-after tries again
                log.debug("shared state: no connection of its own for {}: {}", loop, e.toString());
                recovery.schedule(() -> {
                    perLoop.remove(loop, own);
                    own.close();
                }, Math.max(100, config.retryAfter().toMillis()), TimeUnit.MILLISECONDS);
                return;
            }
            c.setAutoFlushCommands(false);
            own.connection = c;
        }));
        return own;
    }

    /** Flushes at the end of the current event-loop turn (once per turn), or now when not on an event loop. */
    private void flushSoon(StatefulRedisConnection<String, String> c) {
        io.netty.util.concurrent.EventExecutor loop = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
        if (loop == null) {
            c.flushCommands();
        } else if (flushQueued.add(loop)) {
            loop.execute(() -> {
                flushQueued.remove(loop);
                c.flushCommands();
            });
        }
    }

    private void failed(Throwable e) {
        errors.increment();
        lastError = e.getClass().getSimpleName();
        downUntilNanos = System.nanoTime() + config.retryAfter().toNanos();
        log.debug("shared state: {}", e.toString());
    }

    private void connect() {
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            c.setAutoFlushCommands(false); // flushed per event-loop turn, see flushSoon
            connection = c;
            log.info("shared router state on Redis {}", RedisURI.create(config.url()).getHost());
        } catch (RuntimeException e) {
            failed(e);
            log.warn("shared router state: Redis not reachable ({}); deciding locally until it is", e.getMessage());
        }
    }

    /** Reconnects when needed, and once Redis answers, writes the decisions taken while it was away. */
    private void recover() {
        try {
            if (connection == null) {
                connect();
                return;
            }
            if (!connection.isOpen()) {
                return; // Lettuce reconnects by itself
            }
            if (!pending.isEmpty() && System.nanoTime() - downUntilNanos >= 0) {
                int written = 0;
                PendingWrite w;
                while ((w = pending.poll()) != null) {
                    pendingCount.decrementAndGet();
                    Duration left = w.ttl().minusNanos(System.nanoTime() - w.decidedNanos());
                    if (left.toMillis() > 0) {
                        connection.async().set(w.key(), w.value(), SetArgs.Builder.nx().px(left.toMillis()));
                        written++;
                        if (written % 100 == 0) {
                            connection.flushCommands();
                        }
                    }
                }
                connection.flushCommands();
                log.info("shared state back: wrote {} pins decided while Redis was away", written);
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", enabled() ? "redis" : "local (no Redis URL)");
        if (enabled()) {
            details.put("redis", available() ? "in use" : "unavailable, deciding locally (fail open)");
            details.put("errors", errorCount());
            details.put("pendingWrites", pendingCount.get());
            if (!lastError.isEmpty()) {
                details.put("lastError", lastError);
            }
        }
        return Health.up().withDetails(details).build(); // fail open: never takes the router out of rotation
    }

    @PreDestroy
    void close() {
        if (recovery != null) {
            recovery.shutdownNow();
        }
        if (connection != null) {
            connection.closeAsync();
        }
        perLoop.values().forEach(LoopConnection::close);
        if (client != null) {
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
        if (resources != null) {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    private record PendingWrite(String key, String value, Duration ttl, long decidedNanos) {}

    /** A connection registered on one event loop; its commands are issued, flushed and answered on that loop. */
    private static final class LoopConnection {
        private final EventLoop loop;
        private volatile ClientResources resources;
        private volatile RedisClient client;
        private volatile StatefulRedisConnection<String, String> connection;
        /** Touched on the loop only. */
        private boolean flushQueued;

        LoopConnection(EventLoop loop) {
            this.loop = loop;
        }

        void flushSoon() {
            if (!flushQueued) {
                flushQueued = true;
                loop.execute(() -> {
                    flushQueued = false;
                    StatefulRedisConnection<String, String> c = connection;
                    if (c != null) {
                        c.flushCommands();
                    }
                });
            }
        }

        void close() {
            if (connection != null) {
                connection.closeAsync();
            }
            if (client != null) {
                client.shutdownAsync(0, 1, TimeUnit.SECONDS);
            }
            if (resources != null) {
                resources.shutdown(0, 1, TimeUnit.SECONDS); // the loop, timer and computation threads are not its own
            }
        }
    }

    /** Lettuce's event loops for a loop's own client: that one loop, never shut down by Lettuce. */
    private record OneLoop(EventLoop loop) implements EventLoopGroupProvider {
        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public io.netty.util.concurrent.Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public io.netty.util.concurrent.Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }

    /** Redis could not be used for this command; the caller decides locally. */
    public static final class SharedStateUnavailable extends RuntimeException {
        SharedStateUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
