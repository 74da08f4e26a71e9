package dev.switchboard.router.signatures;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Generic intake (any other provider, load tests). The tenant and a timestamp are signed with the body, so a
 * captured request can be replayed neither for another tenant nor after the replay window:
 * <pre>
 *   X-Tenant-Id:           &lt;tenant id&gt;
 *   X-Signature-Timestamp: &lt;unix seconds&gt;
 *   X-Signature-256:       sha256=&lt;hex HMAC-SHA256(secret, timestamp + "." + tenant + "." + rawBody)&gt;
 * </pre>
 * A timestamp further than the replay window (signatures.max-age, 5 min) from the router's clock is refused.
 */
public final class GenericSignature {

    private final Clock clock;
    private final Duration maxAge;

    public GenericSignature(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public boolean matches(String secret, byte[] rawBody, String tenant, String timestamp, String header) {
        if (header == null || tenant == null || timestamp == null || !fresh(timestamp)) {
            return false;
        }
        String presented = header.trim();
        if (presented.startsWith("sha256=")) {
            presented = presented.substring(7);
        }
        return Hmac.equalsConstantTime(sign(secret, timestamp.trim(), tenant, rawBody), presented.toLowerCase());
    }

    /** Whether the timestamp is inside the replay window (seconds since the epoch). */
    public boolean fresh(String timestamp) {
        try {
            Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
            return Duration.between(sent, clock.instant()).abs().compareTo(maxAge) <= 0;
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return false;
        }
    }

    public static String sign(String secret, String timestamp, String tenant, byte[] rawBody) {
        return Hmac.hex(Hmac.sign("HmacSHA256", secret,
                (timestamp + "." + tenant + ".").getBytes(StandardCharsets.UTF_8), rawBody));
    }
}
