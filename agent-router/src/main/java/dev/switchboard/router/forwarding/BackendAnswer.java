package dev.switchboard.router.forwarding;

import dev.switchboard.router.decision.Variant;

/**
 * The answer that goes back to the provider. {@code failedVariant} is set when v2 failed and v1 answered
 * instead (a failover); {@code backendFailed} when the answering backend itself failed (5xx/timeout/...).
 */
public record BackendAnswer(
        int status,
        String contentType,
        byte[] body,
        Variant answeredBy,
        boolean backendFailed,
        boolean failedOver,
        String failure) {}
