package dev.switchboard.controlplane.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.commons.codec.digest.HmacAlgorithms;
import org.apache.commons.codec.digest.HmacUtils;

/** HMAC-SHA256 signatures of incoming webhooks (Slack, PagerDuty), compared in constant time. */
public final class Hmac {

    private Hmac() {
    }

    /** Lower-case hex HMAC-SHA256 of {@code message} with {@code secret}. */
    public static String sha256Hex(String secret, byte[] message) {
        return new HmacUtils(HmacAlgorithms.HMAC_SHA_256, secret.getBytes(StandardCharsets.UTF_8)).hmacHex(message);
    }

    /** Equal strings, taking the same time wherever they differ. */
    public static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
