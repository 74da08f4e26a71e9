package dev.switchboard.router.intake;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Accepts a sane incoming X-Request-ID or makes one (without SecureRandom, which may block the event loop). */
final class RequestIds {

    private RequestIds() {}

    static String acceptOrCreate(String incoming) {
        if (incoming != null && !incoming.isBlank() && incoming.length() <= 128 && incoming.chars().allMatch(c -> c > 32 && c < 127)) {
            return incoming;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
