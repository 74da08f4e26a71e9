package dev.switchboard.router.forwarding;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.Variant;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Sends the webhook to the chosen backend (base URL + same path) and brings its answer back unchanged.
 * Each attempt runs under the variant's circuit breaker and a timeout cut from the event's deadline. When
 * v2 fails on an event that needs a synchronous answer, v1 gets one attempt with the time that is left.
 */
@Component
public class BackendForwarder {

    /** Headers that describe the hop, not the webhook; the rest (provider headers) travel unchanged. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "proxy-authorization", "proxy-authenticate", "expect", "accept-encoding", "x-request-id");

    private final WebClient client;
    private final String v1Base;
    private final String v2Base;
    private final CircuitBreakers breakers;
    private final double v2Share;

    public BackendForwarder(RouterProperties properties, WebClient.Builder webClients, CircuitBreakers breakers) {
        this.client = webClients.build();
        this.v1Base = trimSlash(properties.v1Url().toString());
        this.v2Base = trimSlash(properties.v2Url().toString());
        this.breakers = breakers;
        this.v2Share = properties.failover().v2DeadlineShare();
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
        String url = (variant == Variant.V2 ? v2Base : v1Base) + request.path();
        return client.post()
                .uri(url)
                .headers(h -> copyHeaders(request, variant, h))
                .bodyValue(request.body())
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            int status = response.statusCode().value();
                            String type = response.headers().contentType().map(Object::toString).orElse(null);
                            if (status >= 500) {
                                return Mono.error(new BackendFailure(status, type, body));
                            }
                            return Mono.just(new BackendAnswer(status, type, body, variant, false, false, null));
                        }))
                .timeout(timeout)
                .transformDeferred(CircuitBreakerOperator.of(breakers.of(variant)));
    }

    private static void copyHeaders(BackendRequest request, Variant variant, HttpHeaders target) {
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith("x-switchboard-")) {
                target.addAll(name, values);
            }
        });
        target.set("X-Switchboard-Variant", variant.id());
        target.set("X-Switchboard-Tenant", request.tenant());
        target.set("X-Request-ID", request.requestId());
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
