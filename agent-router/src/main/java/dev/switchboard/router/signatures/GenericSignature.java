package dev.switchboard.router.signatures;

/**
 * Generic intake (any other provider, load tests): {@code X-Signature-256: sha256=<hex HMAC-SHA256(secret, rawBody)>},
 * the same scheme Meta uses for its webhooks.
 */
public final class GenericSignature {

    public boolean matches(String secret, byte[] rawBody, String header) {
        if (header == null) {
            return false;
        }
        String presented = header.trim();
        if (presented.startsWith("sha256=")) {
            presented = presented.substring(7);
        }
        return Hmac.equalsConstantTime(sign(secret, rawBody), presented.toLowerCase());
    }

    public static String sign(String secret, byte[] rawBody) {
        return Hmac.hex(Hmac.sign("HmacSHA256", secret, rawBody));
    }
}
