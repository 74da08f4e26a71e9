package dev.switchboard.controlplane.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id (the caller's {@code X-Request-ID} when it is sane, a new one otherwise), echoes it
 * in the response, and writes one structured access-log line per request. The id travels into audit events, so
 * an operator can go from a log line to the change it made. Headers are never logged (they carry tokens).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter implements WebFilter {

    private static final Logger ACCESS = LoggerFactory.getLogger("switchboard.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = RequestIds.acceptOrCreate(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        exchange.getAttributes().put(RequestIds.ATTRIBUTE, id);
        exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
        long started = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> logAccess(exchange, id, started));
    }

    private static void logAccess(ServerWebExchange exchange, String id, long started) {
        String path = exchange.getRequest().getPath().value();
        if (path.startsWith("/actuator") || path.startsWith("/webjars") || path.startsWith("/css")) {
            return;
        }
        var status = exchange.getResponse().getStatusCode();
        try (var ignored = MDC.putCloseable("requestId", id)) {
            ACCESS.info("{} {} -> {} in {} ms", exchange.getRequest().getMethod(), path,
                    status == null ? 0 : status.value(), (System.nanoTime() - started) / 1_000_000);
        }
    }
}
