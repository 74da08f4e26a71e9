package dev.switchboard.demo.traffic;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhooks the way each provider does, when the demo is given a shared secret: Vapi HMAC
 * ({@code x-signature} over "{timestamp}.{body}"), Twilio ({@code X-Twilio-Signature} over URL + sorted params),
 * Retell ({@code x-retell-signature: v=<ms>,d=<hex>} over body + v), and the router's generic intake
 * ({@code X-Signature-256: sha256=<hex HMAC-SHA256(secret, timestamp + "." + tenant + "." + body)>} with
 * {@code X-Tenant-Id} and {@code X-Signature-Timestamp}: the tenant is signed, the timestamp bounds replays).
 * No secret: no headers.
 */
public final class Signer {

    private final Optional<String> secret;

    public Signer(Optional<String> secret) {
        this.secret = secret.filter(s -> !s.isBlank());
    }

    public Map<String, String> headers(WebhookEvent event, String fullUrl, long nowMillis) {
        return headers(event, fullUrl, nowMillis, null);
    }

    /** {@code tenant}: the tenant a generic-intake event is for (signed with it); unused by the providers. */
    public Map<String, String> headers(WebhookEvent event, String fullUrl, long nowMillis, String tenant) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (secret.isEmpty()) {
            return headers;
        }
        String key = secret.get();
        switch (event.provider()) {
            case "vapi" -> {
                String ts = Long.toString(nowMillis / 1000);
                headers.put("x-timestamp", ts);
                headers.put("x-signature", hex(hmac("HmacSHA256", key, ts + "." + event.body())));
            }
            case "twilio" -> headers.put("X-Twilio-Signature", twilio(key, fullUrl, event.form()));
            case "retell" -> {
                String v = Long.toString(nowMillis);
                headers.put("x-retell-signature", "v=" + v + ",d=" + hex(hmac("HmacSHA256", key, event.body() + v)));
            }
            default -> {
                if (tenant == null) {
                    throw new IllegalArgumentException("a generic webhook is signed with its tenant");
                }
                String ts = Long.toString(nowMillis / 1000);
                headers.put("X-Tenant-Id", tenant);
                headers.put("X-Signature-Timestamp", ts);
                headers.put("X-Signature-256", "sha256=" + hex(hmac("HmacSHA256", key, ts + "." + tenant + "." + event.body())));
            }
        }
        return headers;
    }

    static String twilio(String authToken, String fullUrl, Map<String, String> params) {
        StringBuilder data = new StringBuilder(fullUrl);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", authToken, data.toString()));
    }

    static byte[] hmac(String algorithm, String key, String data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
