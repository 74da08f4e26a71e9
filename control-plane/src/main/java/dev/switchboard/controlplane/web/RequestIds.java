package dev.switchboard.controlplane.web;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        // Not UUID.randomUUID(): it reads /dev/urandom and this runs on the event loop. A request id needs to be
        // unique, not unguessable, so ThreadLocalRandom (no I/O, no lock) is enough.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    public static Optional<String> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
