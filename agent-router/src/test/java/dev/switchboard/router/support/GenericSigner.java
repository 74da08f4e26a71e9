package dev.switchboard.router.support;

import dev.switchboard.router.signatures.GenericSignature;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Headers of a signed generic webhook (tenant and timestamp signed with the body). */
public final class GenericSigner {

    private GenericSigner() {}

    public static Map<String, String> headers(String secret, String tenant, String body) {
        return headers(secret, tenant, body, System.currentTimeMillis() / 1000);
    }

    public static Map<String, String> headers(String secret, String tenant, String body, long epochSeconds) {
        String ts = Long.toString(epochSeconds);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Tenant-Id", tenant);
        h.put("X-Signature-Timestamp", ts);
        h.put("X-Signature-256", "sha256=" + GenericSignature.sign(secret, ts, tenant, body.getBytes(StandardCharsets.UTF_8)));
        return h;
    }
}
