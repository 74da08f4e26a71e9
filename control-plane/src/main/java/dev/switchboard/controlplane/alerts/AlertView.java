package dev.switchboard.controlplane.alerts;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A guard alert as operators see it: severity, the verdict that raised it in words, and where its delivery to
 * each sink stands ({@code pending}, {@code delivered}, {@code failed}, {@code suppressed}), and its lifecycle:
 * {@code open} → {@code mitigated} (its rollback took effect) → {@code resolved} (how: {@code resolution}). Each
 * breach of a scope after a mitigation is a new {@code episode}, with its own dedup key and PagerDuty incident.
 */
public record AlertView(long id, String flag, Optional<String> tenantId, String severity, String rule,
                        String explanation, String status, Instant raisedAt, Optional<Instant> acknowledgedAt,
                        Optional<String> acknowledgedBy, Map<String, String> delivery, int episode,
                        Optional<Instant> mitigatedAt, Optional<Instant> resolvedAt, Optional<String> resolution,
                        String dedupKey) {
}
