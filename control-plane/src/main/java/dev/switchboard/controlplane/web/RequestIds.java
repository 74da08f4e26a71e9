package dev.switchboard.controlplane.web;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebExchange;

/** Where a request's id lives while it is being handled. */
public final class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";
    /** Accept caller ids that are safe to echo and log; anything else is replaced by a fresh one. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    static String acceptOrCreate(String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }

    public static Optional<String> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
