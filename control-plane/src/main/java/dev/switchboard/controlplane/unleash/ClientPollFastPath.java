package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.security.ClientTokens;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.web.server.header.CompositeServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ContentTypeOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.ServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XXssProtectionServerHttpHeadersWriter;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The SDK poll, answered before the security filter chain and the handler mapping when nothing needs them: a
 * {@code GET /api/client/features} with the configured client token or a router token, known query parameters
 * only, and a kept payload that is still current. It answers exactly what {@link UnleashClientController#features}
 * would (the same bytes, ETag and headers, security headers included, 304 or 200), at a fraction of the cost per request. Any other request,
 * including one with a database token, no token or a stale payload, goes through the chain unchanged and is
 * authenticated and answered there.
 *
 * <p>Runs after the request-id and body-limit filters and just before Spring Security's chain (order -100).
 */
@Component
class ClientPollFastPath implements WebFilter, Ordered {

    static final String PATH = "/api/client/features";

    /**
     * The headers Spring Security's chain writes on the same answer (its own writers, defaults unchanged), so a poll
     * answered here carries them too; UnleashClientApiTest compares both answers header by header.
     */
    private static final ServerHttpHeadersWriter SECURITY_HEADERS = new CompositeServerHttpHeadersWriter(
            new ContentTypeOptionsServerHttpHeadersWriter(), new XFrameOptionsServerHttpHeadersWriter(),
            new XXssProtectionServerHttpHeadersWriter(), new ReferrerPolicyServerHttpHeadersWriter());

    private final ClientStates states;
    private final ClientTokens tokens;

    ClientPollFastPath(ClientStates states, ClientTokens tokens) {
        this.states = states;
        this.tokens = tokens;
    }

    @Override
    public int getOrder() {
        return -101;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.GET || !PATH.equals(request.getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        ClientState state = states.fresh();
        if (state == null || !tokens.mayReadClientApi(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION))) {
            return chain.filter(exchange);
        }
        ClientState.Scope scope = scope(request.getQueryParams());
        if (scope == null) {
            return chain.filter(exchange);
        }
        return SECURITY_HEADERS.writeHttpHeaders(exchange)
                .then(Mono.defer(() -> UnleashClientController.answer(state.features(scope), exchange)));
    }

    /** The scope the controller would derive, or null when the query has anything else (the controller decides). */
    private static ClientState.Scope scope(MultiValueMap<String, String> query) {
        if (query.isEmpty()) {
            return ClientState.Scope.ALL;
        }
        String namePrefix = "";
        boolean ourProject = true;
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (parameter.getValue().size() != 1) {
                return null;
            }
            String value = parameter.getValue().get(0);
            switch (parameter.getKey()) {
                case "namePrefix" -> namePrefix = value;
                case "project" -> ourProject = UnleashClientController.isOurProject(value);
                default -> {
                    return null;
                }
            }
        }
        return ClientState.Scope.of(ourProject, namePrefix);
    }
}
