package dev.switchboard.router.forwarding;

import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The pooled Reactor Netty clients the router forwards webhooks with (configured in RouterBeans).
 *
 * <p>One connection pool per event loop, as Envoy keeps one per worker: a webhook is forwarded on a backend
 * connection owned by the event loop it arrived on, so intake, forwarding and the answer stay on one thread. With
 * a single shared pool the connection handed out belonged to whichever loop had opened it, and each webhook then
 * crossed between threads twice (request out, answer back), each crossing a wake-up of another thread: on a
 * 2-core machine that queueing is most of the added tail latency. The shared client serves callers that are
 * not on an event loop and the control-plane WebClient.
 *
 * <p>Each loop also gets a {@link Scheduler} on that loop for the forwarding deadline: Reactor's default timer
 * (the {@code parallel} scheduler) is another thread, woken whenever a new deadline becomes its earliest one,
 * about every other webhook at 1,000/s. A timer on the loop itself is a priority-queue insert.
 */
public final class BackendHttpClient implements AutoCloseable {

    private final Function<String, ConnectionProvider> pools;
    private final Function<HttpClient, HttpClient> configure;
    private final ConnectionProvider sharedPool;
    private final HttpClient shared;
    private final Map<EventLoop, Loop> perLoop = new ConcurrentHashMap<>();
    private final Lane sharedLane;

    /** What forwarding on one event loop uses: its client (pool) and its deadline timer. */
    public record Lane(HttpClient client, Scheduler timer) {}

    private record Loop(ConnectionProvider pool, Lane lane) {}

    /**
     * @param pools makes a connection pool with the given name
     * @param configure applies the options every client shares (timeouts, compression) to a fresh client
     */
    public BackendHttpClient(Function<String, ConnectionProvider> pools, Function<HttpClient, HttpClient> configure) {
        this.pools = pools;
        this.configure = configure;
        this.sharedPool = pools.apply("switchboard-router");
        this.shared = configure.apply(HttpClient.create(sharedPool));
        this.sharedLane = new Lane(shared, Schedulers.parallel());
    }

    /** The client for callers off the event loops (the control-plane WebClient). */
    public HttpClient client() {
        return shared;
    }

    /** The client and timer of {@code loop}; the shared client and Reactor's timer when the caller is on no loop. */
    public Lane on(EventLoop loop) {
        if (loop == null) {
            return sharedLane;
        }
        Loop existing = perLoop.get(loop);
        if (existing != null) {
            return existing.lane();
        }
        return perLoop.computeIfAbsent(loop, l -> {
            ConnectionProvider pool = pools.apply("switchboard-router-loop-" + perLoop.size());
            // never disposed: disposing an executor-backed scheduler would shut the event loop down
            Scheduler timer = Schedulers.fromExecutorService(l, "switchboard-deadline-" + perLoop.size());
            return new Loop(pool, new Lane(configure.apply(HttpClient.create(pool)).runOn(l), timer));
        }).lane();
    }

    /** How many event loops have their own pool (for tests and diagnostics). */
    public int loopPools() {
        return perLoop.size();
    }

    @Override
    public void close() {
        perLoop.values().forEach(loop -> loop.pool().dispose());
        sharedPool.dispose();
    }
}
