package dev.switchboard.router.support;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ServerSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The control plane's client API as the routers see it, on a fixed port so it can be killed and brought back:
 * polled features (with ETag), an SSE stream that stays open (hydration, then keep-alive comments every second,
 * as the real one), registration/metrics sinks and the identifiers list. {@link #kill()} drops the listener and
 * every open connection at once, as {@code kill -9} does; {@link #databaseOutage(boolean)} keeps the process up
 * but closes the streams and answers 503, as the control plane does when its database is away.
 */
public final class FakeControlPlane implements AutoCloseable {

    private final int port;
    private final LoopResources loops = LoopResources.create("fake-control-plane", 1, true);
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile DisposableServer server;
    private volatile String features;
    private volatile String identifiers = "{\"items\":[]}";
    private volatile boolean outage;
    private volatile Sinks.Empty<Void> closeStreams = Sinks.empty();

    public FakeControlPlane(String features) {
        this.features = features;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public void features(String payload) {
        this.features = payload;
    }

    public void identifiers(String payload) {
        this.identifiers = payload;
    }

    public synchronized void start() {
        closeStreams = Sinks.empty();
        server = HttpServer.create().host("127.0.0.1").port(port).runOn(loops)
                .doOnConnection(c -> {
                    connections.add(c.channel());
                    c.onDispose(() -> connections.remove(c.channel()));
                })
                .route(r -> r
                        .get("/api/client/features", (req, res) -> {
                            if (outage) {
                                return res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
                            }
                            String body = features;
                            String etag = "\"f" + Integer.toHexString(body.hashCode()) + "\"";
                            if (etag.equals(req.requestHeaders().get("If-None-Match"))) {
                                return res.status(HttpResponseStatus.NOT_MODIFIED).header("ETag", etag).send();
                            }
                            return res.header("Content-Type", "application/json").header("ETag", etag).sendString(Mono.just(body));
                        })
                        .get("/api/client/streaming", (req, res) -> {
                            if (outage) {
                                return res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
                            }
                            String hydration = "{\"events\":[{\"type\":\"hydration\",\"eventId\":1,\"features\":"
                                    + featuresArray(features) + ",\"segments\":[]}]}";
                            Flux<String> events = Flux.concat(
                                    Mono.just("event: unleash-connected\nid: 1\ndata: " + hydration + "\n\n"),
                                    Flux.interval(Duration.ofSeconds(1)).map(t -> ": keep-alive\n\n"))
                                    .takeUntilOther(closeStreams.asMono());
                            return res.header("Content-Type", "text/event-stream").sendString(events);
                        })
                        .post("/api/client/register", (req, res) -> req.receive().then().then(res.status(202).send()))
                        .post("/api/client/metrics", (req, res) -> req.receive().then().then(res.status(202).send()))
                        .post("/api/v1/router-metrics", (req, res) -> req.receive().then().then(res.status(202).send()))
                        .post("/api/v1/router-confirmations", (req, res) -> req.receive().then().then(res.status(204).send()))
                        .get("/api/v1/tenants/identifiers", (req, res) -> outage
                                ? res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send()
                                : res.header("Content-Type", "application/json").sendString(Mono.just(identifiers))))
                .bindNow();
    }

    /** Like kill -9: the listener goes and every open connection (streams included) is cut. */
    public synchronized void kill() {
        server.disposeNow(Duration.ofMillis(100));
        connections.forEach(Channel::close);
    }

    /** The database is away: open streams are closed, new ones and polls get 503 until it is back. */
    public void databaseOutage(boolean on) {
        outage = on;
        if (on) {
            closeStreams.tryEmitEmpty();
        } else {
            closeStreams = Sinks.empty();
        }
    }

    private static String featuresArray(String payload) {
        int start = payload.indexOf("\"features\":[") + "\"features\":".length();
        int depth = 0;
        for (int i = start; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return payload.substring(start, i + 1);
                }
            }
        }
        throw new IllegalArgumentException("no features array in " + payload);
    }

    @Override
    public void close() {
        kill();
        loops.dispose();
    }
}
