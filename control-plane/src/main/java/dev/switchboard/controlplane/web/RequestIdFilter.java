package dev.switchboard.controlplane.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id (the caller's {@code X-Request-ID} when it is sane, a new one otherwise), echoes it
 * in the response, and writes one structured access-log line per request: changes and server errors at INFO, the
 * machine chatter (reads, SDK and dashboard polls, router metric pushes, health checks) at DEBUG, as
 * {@link AccessLogProperties} says. The id travels into audit events, so an operator can go from a log line to the
 * change it made. Headers are never logged (they carry tokens).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter implements WebFilter {

    private static final Logger ACCESS = LoggerFactory.getLogger("switchboard.access");

    private final AccessLogProperties.Mode mode;

    RequestIdFilter(AccessLogProperties properties) {
        this.mode = properties.mode();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = RequestIds.acceptOrCreate(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        long started = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> logAccess(exchange, id, started));
    }

    private void logAccess(ServerWebExchange exchange, String id, long started) {
        if (mode == AccessLogProperties.Mode.OFF) {
            return;
        }
        String path = exchange.getRequest().getPath().value();
        var status = exchange.getResponse().getStatusCode();
        int code = status == null ? 0 : status.value();
        boolean info = mode == AccessLogProperties.Mode.ALL || code >= 500 || isChange(exchange.getRequest().getMethod(), path);
        if (!info && !ACCESS.isDebugEnabled()) {
            return;
        }
        try (var ignored = MDC.putCloseable("requestId", id)) {
            String line = "{} {} -> {} in {} ms";
            Object[] args = {exchange.getRequest().getMethod(), path, code, (System.nanoTime() - started) / 1_000_000};
            if (info) {
                ACCESS.info(line, args);
            } else {
                ACCESS.debug(line, args);
            }
        }
    }

    /** A change made by a person or a script; SDK and router chatter (client API, metric pushes) is not. */
    static boolean isChange(HttpMethod method, String path) {
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)) {
            return false;
        }
        return !(path.startsWith("/api/client/") || path.startsWith("/actuator") || path.equals("/api/v1/router-metrics"));
    }
}
