package dev.switchboard.controlplane.security;

import dev.switchboard.controlplane.web.Problem;
import dev.switchboard.controlplane.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Who may call what on the admin API, the Unleash client API and actuator. Every admin endpoint needs a
 * token; the route table below is the whole policy at a glance. Finer rules that depend on the request body
 * (operator vs admin for a rollback level or a percentage beyond the next stage) are checked by the service,
 * which answers 403 the same way.
 */
@Configuration
@EnableWebFluxSecurity
class ApiSecurityConfig {

    private static final String OPERATOR = "OPERATOR";
    private static final String ADMIN = "ADMIN";
    private static final String VIEWER = "VIEWER";
    private static final String ROUTER = "ROUTER";
    private static final String CLIENT = "CLIENT";

    @Bean
    @Order(0)
    SecurityWebFilterChain actuatorChain(ServerHttpSecurity http) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/actuator/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .authorizeExchange(auth -> auth
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info").permitAll()
                        .anyExchange().denyAll())
                .build();
    }

    @Bean
    @Order(1)
    SecurityWebFilterChain apiChain(ServerHttpSecurity http, TokenAuthentication tokens, ProblemWriter problems) {
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(tokens);
        bearer.setServerAuthenticationConverter(tokens);
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(
                (exchange, e) -> unauthorized(exchange, problems)));

        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((exchange, e) -> unauthorized(exchange, problems))
                        .accessDeniedHandler((exchange, e) -> problems.write(exchange,
                                Problem.of(HttpStatus.FORBIDDEN, "your role does not allow this action"))))
                .authorizeExchange(auth -> auth
                        // Unleash client API: SDK client tokens and router tokens
                        .pathMatchers("/api/client/**").hasAnyRole(CLIENT, ROUTER)
                        // what feeds the guard and what maps phone numbers to tenants: router tokens only
                        // (bound to one router id, checked by the intake)
                        .pathMatchers(HttpMethod.POST, "/api/v1/router-metrics").hasRole(ROUTER)
                        .pathMatchers(HttpMethod.POST, "/api/v1/router-confirmations").hasRole(ROUTER)
                        .pathMatchers(HttpMethod.GET, "/api/v1/tenants/identifiers", "/api/v1/tenants/resolve")
                        .hasAnyRole(ROUTER, VIEWER)
                        // people
                        .pathMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole(ADMIN)
                        .pathMatchers(HttpMethod.GET, "/api/v1/**").hasRole(VIEWER)
                        .pathMatchers(HttpMethod.POST, "/api/v1/flags").hasRole(ADMIN)
                        .pathMatchers(HttpMethod.POST, "/api/v1/flags/*/enable", "/api/v1/flags/*/disable")
                        .hasRole(ADMIN)
                        .pathMatchers(HttpMethod.POST, "/api/v1/flags/*/explain").hasRole(VIEWER)
                        .pathMatchers(HttpMethod.PUT, "/api/v1/flags/*/percentage").hasRole(OPERATOR)
                        .pathMatchers("/api/v1/flags/*/tenants/*").hasRole(OPERATOR)
                        .pathMatchers(HttpMethod.POST, "/api/v1/flags/*/rollback", "/api/v1/flags/*/advance")
                        .hasRole(OPERATOR)
                        .pathMatchers(HttpMethod.POST, "/api/v1/tenants", "/api/v1/tenants/import").hasRole(ADMIN)
                        .pathMatchers(HttpMethod.POST, "/api/v1/audit").hasRole(OPERATOR)
                        .pathMatchers(HttpMethod.POST, "/api/v1/alerts/*/ack").hasRole(OPERATOR)
                        // anything not listed is admin-only until someone decides otherwise
                        .anyExchange().hasRole(ADMIN))
                .build();
    }

    /**
     * Webhooks from Slack and PagerDuty: no token, no session, no CSRF (they cannot hold one); each endpoint
     * verifies its party's signature before it reads anything else.
     */
    @Bean
    @Order(2)
    SecurityWebFilterChain integrationsChain(ServerHttpSecurity http) {
        return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/slack/interactions",
                        "/pagerduty/webhook"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(auth -> auth.anyExchange().permitAll())
                .build();
    }

    private static reactor.core.publisher.Mono<Void> unauthorized(
            org.springframework.web.server.ServerWebExchange exchange, ProblemWriter problems) {
        exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer realm=\"switchboard\"");
        // Unleash SDKs send the raw token, people's tools the Bearer form; both are accepted everywhere
        boolean sdk = exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/client/");
        return problems.write(exchange, Problem.of(HttpStatus.UNAUTHORIZED, sdk
                ? "a valid client token is required (Authorization: <token>, as Unleash SDKs send it; "
                        + "Authorization: Bearer <token> also works)"
                : "a valid API token is required (Authorization: Bearer <token>)"));
    }
}
