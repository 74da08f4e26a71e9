package dev.switchboard.controlplane.dashboard;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Gives dashboard sessions the configured idle timeout. The API is token-based and never touches sessions, so
 * its paths are skipped.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class SessionTimeoutFilter implements WebFilter {

    private final DashboardProperties properties;

    SessionTimeoutFilter(DashboardProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.startsWith("/api/") || path.startsWith("/actuator/") || path.startsWith("/slack/")
                || path.startsWith("/pagerduty/")) {
            return chain.filter(exchange);
        }
        return exchange.getSession()
                .doOnNext(session -> session.setMaxIdleTime(properties.sessionTimeout()))
                .then(chain.filter(exchange));
    }
}
