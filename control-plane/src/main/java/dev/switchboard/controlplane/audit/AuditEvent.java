package dev.switchboard.controlplane.audit;

import dev.switchboard.controlplane.security.Caller;
import java.time.OffsetDateTime;

/**
 * One append-only audit record: who did what to which flag or tenant, the state before and after, why, and
 * the request id that ties it to the logs.
 *
 * @param before state before the change (any JSON-serialisable value, or null)
 * @param after  state after the change, or details of the action
 */
public record AuditEvent(Long id, OffsetDateTime at, String actor, String actorRole, String action, String flag,
                         String tenantId, Object before, Object after, String reason, String requestId) {

    public static AuditEvent of(Caller caller, String action, String flag, String tenantId, Object before,
                                Object after, String reason, String requestId) {
        return new AuditEvent(null, null, caller.name(), caller.role().wireName(), action, flag, tenantId, before,
                after, reason == null ? "" : reason, requestId);
    }
}
