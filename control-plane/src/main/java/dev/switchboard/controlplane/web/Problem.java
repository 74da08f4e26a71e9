package dev.switchboard.controlplane.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An RFC 9457 problem body: status, a stable title, a human detail and extra members (field violations,
 * the current state on a conflict…). Rendered as {@code application/problem+json}.
 */
public record Problem(HttpStatus status, String detail, Map<String, Object> members) {

    public Problem {
        members = Map.copyOf(members);
    }

    public static Problem of(HttpStatus status, String detail) {
        return new Problem(status, detail, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(members);
        copy.put(key, value);
        return new Problem(status, detail, copy);
    }

    Map<String, Object> body(String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        body.putAll(members);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body;
    }
}
