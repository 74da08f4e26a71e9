package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.flags.FlagState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code GET /api/client/features} answer, serialised once: the {@code version: 2} payload, its strong ETag
 * and the highest flag revision in it.
 *
 * <p>The ETag is a hash of the serialised features, so it changes whenever anything an SDK could see changes
 * (a revision bump, a description, a different name filter) and is identical on every replica for the same
 * state, which lets polling SDKs keep their 304s when a load balancer moves them between replicas.
 *
 * @param body       the JSON document, UTF-8 (never modified: it is written to every client as is)
 * @param etag       strong entity tag, quoted: {@code "3f2a…"}
 * @param revisionId highest revision among the features served (0 when there are none)
 */
record ClientFeatures(byte[] body, String etag, long revisionId) {

    static ClientFeatures of(List<FlagState> flags, JsonMapper json) {
        List<Map<String, Object>> features = flags.stream().map(UnleashFeature::of).toList();
        String featuresJson = json.writeValueAsString(features);
        String etag = "\"" + sha256(featuresJson).substring(0, 32) + "\"";
        long revisionId = flags.stream().mapToLong(FlagState::revision).max().orElse(0);

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("revisionId", revisionId);
        meta.put("etag", etag);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("version", 2);
        payload.put("features", features);
        payload.put("segments", List.of());
        payload.put("meta", meta);
        return new ClientFeatures(json.writeValueAsBytes(payload), etag, revisionId);
    }

    /**
     * Whether an {@code If-None-Match} header names this state: a list of tags, weak or strong (RFC 9110
     * compares weakly for If-None-Match), or {@code *}.
     */
    boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
