package dev.switchboard.controlplane.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A guard alert as operators see it: severity, the verdict that raised it in words, and where its delivery to
 * each sink stands ({@code pending}, {@code delivered}, {@code failed}, {@code suppressed}).
 */
public record AlertView(long id, String flag, Optional<String> tenantId, String severity, String rule,
                        String explanation, String status, Instant raisedAt, Optional<Instant> acknowledgedAt,
                        Optional<String> acknowledgedBy, Map<String, String> delivery) {
}
