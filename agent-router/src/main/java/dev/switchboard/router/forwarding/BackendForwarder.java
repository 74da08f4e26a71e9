package dev.switchboard.router.forwarding;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.Variant;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClientResponse;

/**
 * Sends the webhook to the chosen backend (base URL + same path) and brings its answer back unchanged.
 * Each attempt runs under the variant's circuit breaker and a timeout cut from the event's deadline. When
 * v2 fails on an event that needs a synchronous answer, v1 gets one attempt with the time that is left.
 *
 * <p>Reactor Netty's client is used as it is (as Spring Cloud Gateway's routing filter does), not through
 * WebClient: the router only moves bytes, and WebClient's request/response abstraction, codecs and observation
 * were a fifth of the router's CPU per webhook.
 */
@Component
public class BackendForwarder {

    /** Headers that describe the hop, not the webhook; the rest (provider headers) travel unchanged. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authorization", "proxy-authenticate", "expect", "accept-encoding", "x-request-id");

    private static final int MAX_CACHED_TARGETS = 64;

    private final BackendHttpClient clients;
    private final Map<String, URI> v1Targets = new ConcurrentHashMap<>();
    private final Map<String, URI> v2Targets = new ConcurrentHashMap<>();
    private final String v1Base;
    private final String v2Base;
    private final CircuitBreakers breakers;
    private final double v2Share;
    private final int maxAnswerBytes;

    public BackendForwarder(RouterProperties properties, BackendHttpClient backends, CircuitBreakers breakers) {
        this.clients = backends;
        this.v1Base = trimSlash(properties.v1Url().toString());
        this.v2Base = trimSlash(properties.v2Url().toString());
        this.breakers = breakers;
        this.v2Share = properties.failover().v2DeadlineShare();
        this.maxAnswerBytes = properties.maxAnswerBytes();
    }

    public Mono<BackendAnswer> forward(Variant variant, BackendRequest request, Duration deadline, boolean failoverAllowed) {
        if (variant == Variant.V2 && failoverAllowed) {
            long started = System.nanoTime();
            Duration v2Budget = Duration.ofMillis(Math.max(1, (long) (deadline.toMillis() * v2Share)));
            return attempt(Variant.V2, request, v2Budget)
                    .onErrorResume(v2Error -> {
                        Duration left = deadline.minusNanos(System.nanoTime() - started);
                        if (left.toMillis() < 1) {
                            return Mono.just(failed(Variant.V2, v2Error));
                        }
                        return attempt(Variant.V1, request, left)
                                .map(a -> new BackendAnswer(a.status(), a.contentType(), a.body(), Variant.V1, false, true, describe(v2Error)))
                                .onErrorResume(v1Error -> Mono.just(withFailover(failed(Variant.V1, v1Error), v2Error)));
                    });
        }
        return attempt(variant, request, deadline).onErrorResume(e -> Mono.just(failed(variant, e)));
    }

    private Mono<BackendAnswer> attempt(Variant variant, BackendRequest request, Duration timeout) {
        BackendHttpClient.Lane lane = clients.on(request.intakeLoop());
        return lane.client().headers(h -> copyHeaders(request, variant, h))
                .post()
                .uri(target(variant, request.path()))
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())))
                .response((response, content) -> readAnswer(response, content, variant))
                .next()
                .timeout(timeout, lane.timer())
                .transformDeferred(CircuitBreakerOperator.of(breakers.of(variant)));
    }

    /**
     * The backend URI, parsed once per variant and path (there are four intake paths): given a String, Reactor
     * Netty matches every request's URL against a regular expression, a few percent of the router's CPU.
     */
    private URI target(Variant variant, String path) {
        Map<String, URI> targets = variant == Variant.V2 ? v2Targets : v1Targets;
        URI uri = targets.get(path);
        if (uri == null) {
            uri = URI.create((variant == Variant.V2 ? v2Base : v1Base) + path);
            if (targets.size() < MAX_CACHED_TARGETS) {
                targets.put(path, uri);
            }
        }
        return uri;
    }

    private static void copyHeaders(BackendRequest request, Variant variant, HttpHeaders target) {
        for (Map.Entry<String, String> header : request.headers()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith("x-switchboard-")) {
                target.add(header.getKey(), header.getValue());
            }
        }
        target.set("X-Switchboard-Variant", variant.id());
        target.set("X-Switchboard-Tenant", request.tenant());
        target.set("X-Request-ID", request.requestId());
        target.setInt(HttpHeaderNames.CONTENT_LENGTH, request.body().length);
    }

    /** The backend's answer, read up to the limit; a 5xx becomes a {@link BackendFailure} carrying it. */
    private Mono<BackendAnswer> readAnswer(HttpClientResponse response, ByteBufFlux content, Variant variant) {
        long declared = declaredLength(response.responseHeaders());
        if (declared > maxAnswerBytes) {
            // refused before a byte is read or a buffer of the declared size is allocated
            return Mono.error(new BackendAnswerTooLarge(maxAnswerBytes));
        }
        return content
                .collect(() -> new BoundedBytes((int) declared, maxAnswerBytes), (answer, chunk) -> {
                    if (!answer.append(chunk)) {
                        throw new BackendAnswerTooLarge(maxAnswerBytes);
                    }
                })
                .flatMap(answer -> {
                    byte[] body = answer.toByteArray();
                    int status = response.status().code();
                    String type = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
                    if (status >= 500) {
                        return Mono.error(new BackendFailure(status, type, body));
                    }
                    return Mono.just(new BackendAnswer(status, type, body, variant, false, false, null));
                });
    }

    /** The answer's declared length, or a small starting size when it declares none (chunked). */
    private static long declaredLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value != null) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                // a garbled length is the decoder's business; read what comes
            }
        }
        return 256;
    }

    /** A failed attempt as an answer: a backend 5xx passes through, anything else has no body (caller decides). */
    private static BackendAnswer failed(Variant variant, Throwable error) {
        if (error instanceof BackendFailure f) {
            return new BackendAnswer(f.status(), f.contentType(), f.body(), variant, true, false, describe(error));
        }
        int status = error instanceof TimeoutException ? 504 : 502;
        return new BackendAnswer(status, null, null, variant, true, false, describe(error));
    }

    private static BackendAnswer withFailover(BackendAnswer v1Failed, Throwable v2Error) {
        return new BackendAnswer(v1Failed.status(), v1Failed.contentType(), v1Failed.body(), Variant.V1, true, true,
                "v2 " + describe(v2Error) + ", v1 " + v1Failed.failure());
    }

    static String describe(Throwable e) {
        if (e instanceof BackendFailure f) {
            return "status_" + f.status();
        }
        if (e instanceof TimeoutException) {
            return "timeout";
        }
        if (e instanceof BackendAnswerTooLarge) {
            return "answer_too_large";
        }
        if (e instanceof CallNotPermittedException) {
            return "circuit_open";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException || e.getClass().getSimpleName().contains("Connect")) {
            return "connect_error";
        }
        return "io_error";
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
