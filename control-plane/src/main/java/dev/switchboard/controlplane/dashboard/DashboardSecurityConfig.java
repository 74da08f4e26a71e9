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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.server.WebFilter;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
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
 * Form login for people on every path the API chain does not own (it is ordered after the actuator,
 * {@code /api/**} and integration chains). Logins are throttled ({@link LoginThrottle}) and checked with equal
 * work for unknown names ({@link PasswordLogins}); pages carry a Content-Security-Policy without inline script,
 * may not be framed and send the referrer to this origin only; the session cookie is {@link SessionCookie}.
 * Sessions carry the login; CSRF protects every form and htmx request (the token
 * travels as {@code _csrf} in forms and {@code X-CSRF-TOKEN} in htmx headers). Any POST needs at least the
 * operator role here, and the services check the exact role again, so a viewer's hand-made request is refused
 * twice over.
 */
@Configuration
class DashboardSecurityConfig {

    static final String LOGIN = "/login";

    /** Pages may load scripts, styles and images from this origin only, and never be framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(10)
    SecurityWebFilterChain dashboardChain(ServerHttpSecurity http, DashboardProperties properties,
                                          LoginThrottle throttle) {
        WebSessionServerRequestCache requestCache = new WebSessionServerRequestCache();
        RedirectServerAuthenticationEntryPoint toLogin = new RedirectServerAuthenticationEntryPoint(LOGIN);
        toLogin.setRequestCache(requestCache);
        RedirectServerAuthenticationSuccessHandler backToPage = new RedirectServerAuthenticationSuccessHandler("/dashboard");
        backToPage.setRequestCache(requestCache);
        RedirectServerAuthenticationFailureHandler wrongPassword = new RedirectServerAuthenticationFailureHandler(
                LOGIN + "?error");
        ServerAuthenticationSuccessHandler success = (filterExchange, authentication) -> throttle
                .succeeded(authentication.getName(), clientAddress(filterExchange.getExchange()))
                .then(backToPage.onAuthenticationSuccess(filterExchange, authentication));
        ServerAuthenticationFailureHandler failure = (filterExchange, e) -> loginName(filterExchange.getExchange())
                .flatMap(name -> throttle.failed(name, clientAddress(filterExchange.getExchange())))
                .then(wrongPassword.onAuthenticationFailure(filterExchange, e));

        return http
                .authenticationManager(new PasswordLogins(users(properties)))
                .requestCache(cache -> cache.requestCache(requestCache))
                .formLogin(form -> form.loginPage(LOGIN).authenticationSuccessHandler(success)
                        .authenticationFailureHandler(failure))
                .addFilterBefore(throttled(throttle), SecurityWebFiltersOrder.FORM_LOGIN)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .logout(logout -> logout.logoutUrl("/logout"))
                .csrf(csrf -> csrf.accessDeniedHandler(expiredOrForged()))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(frame -> frame.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(loginOrHtmxReload(toLogin)))
                .authorizeExchange(auth -> auth
                        .pathMatchers(LOGIN, "/assets/**", "/webjars/**", "/favicon.ico").permitAll()
                        .pathMatchers(HttpMethod.POST, "/dashboard/**").hasRole(Role.OPERATOR.name())
                        .anyExchange().hasRole(Role.VIEWER.name()))
                .build();
    }

    /**
     * Before the password is looked at: an address or a username that failed too often waits, answered 429 with
     * {@code Retry-After} (a page saying so for the person at the browser).
     */
    private static WebFilter throttled(LoginThrottle throttle) {
        return (exchange, chain) -> {
            if (exchange.getRequest().getMethod() != HttpMethod.POST
                    || !LOGIN.equals(exchange.getRequest().getPath().pathWithinApplication().value())) {
                return chain.filter(exchange);
            }
            return loginName(exchange)
                    .flatMap(name -> throttle.check(name, clientAddress(exchange)))
                    .flatMap(wait -> wait.isEmpty() ? chain.filter(exchange) : tooManyAttempts(exchange, wait.get()));
        };
    }

    private static Mono<String> loginName(ServerWebExchange exchange) {
        return exchange.getFormData().map(form -> java.util.Optional.ofNullable(form.getFirst("username")).orElse(""));
    }

    /**
     * The client's address as this server sees it. Behind a load balancer set
     * {@code server.forward-headers-strategy=framework} (or {@code native}) so that it is the address the proxy
     * reports in {@code X-Forwarded-For}, not the proxy's own.
     */
    static String clientAddress(ServerWebExchange exchange) {
        java.net.InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    private static Mono<Void> tooManyAttempts(ServerWebExchange exchange, java.time.Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        response.getHeaders().setContentType(MediaType.TEXT_HTML);
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts · "
                + "Switchboard</title><link rel=\"stylesheet\" href=\"/assets/dashboard.css\"></head><body>"
                + "<main class=\"login\"><h1>Switchboard</h1><p class=\"outcome invalid\" role=\"alert\">"
                + "Too many failed logins. Try again in " + seconds + " s.</p><p><a href=\"/login\">Back to the "
                + "login page</a></p></main></body></html>";
        byte[] bytes = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    /** Users from configuration; each role also holds the ones below it, as on the API. */
    static Map<String, UserDetails> users(DashboardProperties properties) {
        Map<String, UserDetails> byName = new HashMap<>();
        for (DashboardProperties.User user : properties.users()) {
            Role role = Role.fromWire(user.role());
            if (role.machine()) {
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
        return byName;
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
