package dev.switchboard.controlplane.slack;

import dev.switchboard.controlplane.web.Hmac;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Slack's request signing (api.slack.com/authentication/verifying-requests-from-slack): {@code v0=} and the
 * hex HMAC-SHA256, with the signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<raw body>}. The
 * timestamp is checked first, from the headers alone, so a stale or unsigned request is refused before its
 * body is read; the signature is compared in constant time.
 */
final class SlackSignature {

    private final String secret;
    private final Duration maxAge;

    SlackSignature(String secret, Duration maxAge) {
        this.secret = secret;
        this.maxAge = maxAge;
    }

    /** The timestamp header is a number of seconds within {@code maxAge} of now, either way. */
    boolean fresh(String timestamp, Instant now) {
        if (secret.isEmpty() || timestamp == null || timestamp.isEmpty() || timestamp.length() > 12) {
            return false;
        }
        try {
            long seconds = Long.parseLong(timestamp);
            return Math.abs(now.getEpochSecond() - seconds) <= maxAge.toSeconds();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean valid(String timestamp, byte[] body, String signature) {
        if (secret.isEmpty() || signature == null || !signature.startsWith("v0=")) {
            return false;
        }
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return Hmac.constantTimeEquals("v0=" + Hmac.sha256Hex(secret, message), signature);
    }

    /** The header value Slack would send; for tests and the runbook's example. */
    static String sign(String secret, String timestamp, String body) {
        return "v0=" + Hmac.sha256Hex(secret, ("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
    }
}
