package dev.switchboard.router.metrics;

import java.util.Optional;

/** What happened to one forwarded event, as recorded into Micrometer and the metric windows. */
public record WebhookOutcome(
        String provider,
        String variant,
        String tenantId,
        Optional<String> callId,
        boolean newCall,
        boolean error,
        boolean failover,
        int circuitBreakerOpens,
        double latencyMs,
        String outcome) {}
