package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What every dashboard template may use: the CSRF token (subscribing to it is also what stores it in the
 * session), the person logged in, whether they may act, and the panels' refresh interval.
 */
@ControllerAdvice(basePackageClasses = DashboardModel.class)
class DashboardModel {

    private final DashboardProperties properties;

    DashboardModel(DashboardProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }

    @ModelAttribute("me")
    Mono<Caller> me(ServerWebExchange exchange) {
        return exchange.getPrincipal().filter(Authentication.class::isInstance).cast(Authentication.class)
                .map(DashboardUser::caller);
    }

    @ModelAttribute("canAct")
    Mono<Boolean> canAct(ServerWebExchange exchange) {
        return me(exchange).map(c -> c.atLeast(Role.OPERATOR)).defaultIfEmpty(false);
    }

    @ModelAttribute("refreshSeconds")
    int refreshSeconds() {
        return properties.refreshSeconds();
    }
}
