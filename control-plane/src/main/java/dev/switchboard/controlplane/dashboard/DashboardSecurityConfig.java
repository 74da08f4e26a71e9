package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.security.Role;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authorization.HttpStatusServerAccessDeniedHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Form login for people on every path the API chain does not own (it is ordered after the actuator and
 * {@code /api/**} chains). Sessions carry the login; CSRF protects every form and htmx request (the token
 * travels as {@code _csrf} in forms and {@code X-CSRF-TOKEN} in htmx headers). Any POST needs at least the
 * operator role here, and the services check the exact role again, so a viewer's hand-made request is refused
 * twice over.
 */
@Configuration
class DashboardSecurityConfig {

    static final String LOGIN = "/login";

    @Bean
    @Order(2)
    SecurityWebFilterChain dashboardChain(ServerHttpSecurity http, DashboardProperties properties) {
        WebSessionServerRequestCache requestCache = new WebSessionServerRequestCache();
        RedirectServerAuthenticationEntryPoint toLogin = new RedirectServerAuthenticationEntryPoint(LOGIN);
        toLogin.setRequestCache(requestCache);
        RedirectServerAuthenticationSuccessHandler backToPage = new RedirectServerAuthenticationSuccessHandler("/dashboard");
        backToPage.setRequestCache(requestCache);
        UserDetailsRepositoryReactiveAuthenticationManager authentication =
                new UserDetailsRepositoryReactiveAuthenticationManager(users(properties));
        authentication.setPasswordEncoder(new BCryptPasswordEncoder());

        return http
                .authenticationManager(authentication)
                .requestCache(cache -> cache.requestCache(requestCache))
                .formLogin(form -> form.loginPage(LOGIN).authenticationSuccessHandler(backToPage))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .logout(logout -> logout.logoutUrl("/logout"))
                .csrf(csrf -> csrf.accessDeniedHandler(expiredOrForged()))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(loginOrHtmxReload(toLogin)))
                .authorizeExchange(auth -> auth
                        .pathMatchers(LOGIN, "/assets/**", "/webjars/**", "/favicon.ico").permitAll()
                        .pathMatchers(HttpMethod.POST, "/dashboard/**").hasRole(Role.OPERATOR.name())
                        .anyExchange().hasRole(Role.VIEWER.name()))
                .build();
    }

    /** Users from configuration; each role also holds the ones below it, as on the API. */
    static ReactiveUserDetailsService users(DashboardProperties properties) {
        Map<String, UserDetails> byName = new HashMap<>();
        for (DashboardProperties.User user : properties.users()) {
            Role role = Role.fromWire(user.role());
            if (role == Role.ROUTER) {
                throw new IllegalStateException("dashboard user " + user.username() + ": role must be viewer, operator or admin");
            }
            List<String> roles = switch (role) {
                case ADMIN -> List.of("ADMIN", "OPERATOR", "VIEWER");
                case OPERATOR -> List.of("OPERATOR", "VIEWER");
                default -> List.of("VIEWER");
            };
            byName.put(user.username(), User.withUsername(user.username()).password(user.passwordHash())
                    .roles(roles.toArray(new String[0])).build());
        }
        return username -> Mono.justOrEmpty(byName.get(username))
                .map(u -> User.withUserDetails(u).build());
    }

    /**
     * An htmx request (a panel poll or an action) cannot follow a redirect to the login page: the login form
     * would be swapped into a panel. Instead htmx is told to reload the page it is on; that full request
     * arrives without a session, is remembered, goes through login and comes back to the same page.
     */
    private static ServerAuthenticationEntryPoint loginOrHtmxReload(ServerAuthenticationEntryPoint toLogin) {
        return (exchange, e) -> isHtmx(exchange) ? reloadCurrentPage(exchange) : toLogin.commence(exchange, e);
    }

    /**
     * A POST whose CSRF token does not match: almost always a session that expired while the form was open
     * (the new session has no token yet). Send the person back through the page, which leads to login.
     */
    private static ServerAccessDeniedHandler expiredOrForged() {
        ServerAccessDeniedHandler forbidden = new HttpStatusServerAccessDeniedHandler(HttpStatus.FORBIDDEN);
        DefaultServerRedirectStrategy redirect = new DefaultServerRedirectStrategy();
        // The CSRF check runs before the security context is loaded, so look at the session itself.
        return (exchange, denied) -> exchange.getSession().map(session -> session.getAttribute(
                WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME) != null)
                .flatMap(loggedIn -> {
            if (loggedIn) {
                return forbidden.handle(exchange, denied);
            }
            if (isHtmx(exchange)) {
                return reloadCurrentPage(exchange);
            }
            return redirect.sendRedirect(exchange, URI.create(samePagePath(
                    exchange.getRequest().getHeaders().getFirst("Referer")).orElse("/dashboard")));
        });
    }

    static boolean isHtmx(ServerWebExchange exchange) {
        return "true".equals(exchange.getRequest().getHeaders().getFirst("HX-Request"));
    }

    private static Mono<Void> reloadCurrentPage(ServerWebExchange exchange) {
        String page = samePagePath(exchange.getRequest().getHeaders().getFirst("HX-Current-URL")).orElse("/dashboard");
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().set("HX-Redirect", page);
        return exchange.getResponse().setComplete();
    }

    /** Only the path and query of a URL we were given, so a header can never redirect to another site. */
    static java.util.Optional<String> samePagePath(String url) {
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            URI uri = URI.create(url);
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
