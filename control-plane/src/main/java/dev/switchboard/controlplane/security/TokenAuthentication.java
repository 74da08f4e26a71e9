package dev.switchboard.controlplane.security;

import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns an {@code Authorization} header into a {@link Caller}. Admin tools send {@code Bearer <token>}; Unleash
 * SDKs send the raw token, so both forms are accepted. Configured tokens are compared in constant time;
 * database tokens are looked up by their hash, so revocation takes effect on the next request.
 */
@Component
class TokenAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    private final SecurityProperties properties;
    private final ApiTokenStore tokens;
    private final java.util.List<SecurityProperties.RouterCredential> routers;

    TokenAuthentication(SecurityProperties properties, ApiTokenStore tokens) {
        this.properties = properties;
        this.tokens = tokens;
        this.routers = properties.routerCredentials();
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        return Mono.justOrEmpty(presentedToken(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)))
                .map(token -> UsernamePasswordAuthenticationToken.unauthenticated(null, token));
    }

    static Optional<String> presentedToken(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7) : header;
        value = value.trim();
        return value.isEmpty() || value.length() > 512 ? Optional.empty() : Optional.of(value);
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        String token = String.valueOf(authentication.getCredentials());
        if (TokenHashes.sameToken(token, properties.bootstrapAdminToken())) {
            return Mono.just(authenticated(new Caller("bootstrap-admin", Role.ADMIN)));
        }
        if (TokenHashes.sameToken(token, properties.clientToken())) {
            return Mono.just(authenticated(new Caller("sdk-client", Role.CLIENT)));
        }
        for (SecurityProperties.RouterCredential router : routers) {
            if (TokenHashes.sameToken(token, router.token())) {
                return Mono.just(authenticated(Caller.router("router:" + router.routerId(), router.routerId())));
            }
        }
        return tokens.findActive(TokenHashes.sha256(token))
                .map(TokenAuthentication::authenticated)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("unknown or revoked token")));
    }

    static Authentication authenticated(Caller caller) {
        return UsernamePasswordAuthenticationToken.authenticated(caller, null, caller.role().authorities());
    }
}
