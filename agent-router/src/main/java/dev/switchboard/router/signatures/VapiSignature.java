package dev.switchboard.router.signatures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Vapi server-URL authentication: the shared secret in {@code X-Vapi-Secret} or {@code Authorization: Bearer},
 * or hex HMAC-SHA256(secret, "{x-timestamp}.{rawBody}") in {@code x-signature}.
 */
public final class VapiSignature {

    private final Clock clock;
    private final Duration maxAge;

    public VapiSignature(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public boolean matches(String secret, WebhookHeaders headers, byte[] rawBody) {
        String signature = headers.first("x-signature");
        if (signature != null) {
            String timestamp = headers.first("x-timestamp");
            if (timestamp == null || !fresh(timestamp)) {
                return false;
            }
            String expected = Hmac.hex(Hmac.sign("HmacSHA256", secret, Hmac.utf8(timestamp.trim() + "."), rawBody));
            return Hmac.equalsConstantTime(expected, signature.toLowerCase());
        }
        String shared = headers.first("x-vapi-secret");
        if (shared != null) {
            return Hmac.equalsConstantTime(secret, shared);
        }
        String authorization = headers.first("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Hmac.equalsConstantTime(secret, authorization.substring(7));
        }
        return false;
    }

    public static String sign(String secret, String timestamp, byte[] rawBody) {
        return Hmac.hex(Hmac.sign("HmacSHA256", secret, Hmac.utf8(timestamp + "."), rawBody));
    }

    private boolean fresh(String timestamp) {
        try {
            long value = Long.parseLong(timestamp.trim());
            // Vapi sends seconds; tolerate milliseconds too.
            Instant sent = value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
            return Duration.between(sent, clock.instant()).abs().compareTo(maxAge) <= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
