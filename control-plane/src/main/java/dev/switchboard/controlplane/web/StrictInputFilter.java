package dev.switchboard.controlplane.web;

import dev.switchboard.controlplane.errors.FieldViolation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses control characters where no handler would look for them: in the path (a flag or tenant name), in
 * query parameters (names and values) and in the fields of a posted form (the dashboard's reasons). JSON
 * bodies are checked member by member while they are read ({@link StrictJson}). The answer is a 400 naming the
 * parameter; nothing behind it runs.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class StrictInputFilter implements WebFilter {

    private final ProblemWriter problems;

    StrictInputFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Optional<String> bad = badPath(exchange).or(() -> bad(exchange.getRequest().getQueryParams(), false));
        if (bad.isPresent()) {
            return refuse(exchange, bad.get());
        }
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        // a signed webhook's body stays untouched until its signature is checked (it is JSON inside the form)
        if (type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)
                && !exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/slack/")) {
            return exchange.getFormData().flatMap(form -> bad(form, true)
                    .map(field -> refuse(exchange, field)).orElseGet(() -> chain.filter(exchange)));
        }
        return chain.filter(exchange);
    }

    private static Optional<String> badPath(ServerWebExchange exchange) {
        for (PathContainer.Element element : exchange.getRequest().getPath().pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment
                    && TextRules.controlCharacter(segment.valueToMatch(), false) >= 0) {
                return Optional.of("path");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> bad(MultiValueMap<String, String> parameters, boolean freeText) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (TextRules.controlCharacter(parameter.getKey(), false) >= 0) {
                return Optional.of("parameter name");
            }
            for (String value : parameter.getValue()) {
                if (value != null && TextRules.controlCharacter(value, freeText) >= 0) {
                    return Optional.of(parameter.getKey());
                }
            }
        }
        return Optional.empty();
    }

    private Mono<Void> refuse(ServerWebExchange exchange, String field) {
        return problems.write(exchange, Problem.of(HttpStatus.BAD_REQUEST, field + ": " + TextRules.CONTROL_MESSAGE)
                .with("errors", List.of(new FieldViolation(field, TextRules.RULE, TextRules.CONTROL_MESSAGE))));
    }
}
