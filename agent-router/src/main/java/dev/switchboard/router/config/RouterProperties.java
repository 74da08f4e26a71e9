package dev.switchboard.router.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the router can be told from outside. Environment variables are mapped in application.yml
 * (SWITCHBOARD_CONTROL_PLANE_URL, SWITCHBOARD_CLIENT_TOKEN, SWITCHBOARD_ROUTER_TOKEN, SWITCHBOARD_V1_URL,
 * SWITCHBOARD_V2_URL). The client token is for the Unleash client API; the router token (bound on the control
 * plane to this router's id) for metric windows and the identifier registry.
 */
@ConfigurationProperties("switchboard.router")
@Validated
public record RouterProperties(
        @NotBlank @DefaultValue("voice_agent_v2") String flagName,
        String routerId,
        @NotNull URI controlPlaneUrl,
        @NotBlank String clientToken,
        @NotBlank String routerToken,
        @NotNull URI v1Url,
        @NotNull URI v2Url,
        /* Base URL providers call us on (Twilio signs the full public URL, not what we see behind a proxy). */
        String publicUrl,
        @Min(1024) @DefaultValue("1048576") int maxBodyBytes,
        /* Longest backend answer kept in memory; a longer one is a backend failure (502, or failover to v1). */
        @Min(1024) @DefaultValue("16777216") int maxAnswerBytes,
        /* How often the router repeats its confirmation of the revision it decides with (a heartbeat). */
        @NotNull @DefaultValue("5s") Duration confirmInterval,
        /* How long after applying a revision the router waits before confirming it, so its first decision on it joins. */
        @NotNull @DefaultValue("25ms") Duration confirmLinger,
        @Valid @DefaultValue Unleash unleash,
        @Valid @DefaultValue Deadlines deadlines,
        @Valid @DefaultValue Failover failover,
        @Valid @DefaultValue Signatures signatures,
        @Valid @DefaultValue Tenants tenants,
        @Valid @DefaultValue Metrics metrics,
        @Valid @DefaultValue Generic generic,
        @Valid @DefaultValue Pinning pinning,
        @Valid @DefaultValue Dedup dedup,
        @Valid @DefaultValue CircuitBreaker circuitBreaker,
        @Valid @DefaultValue Redis redis,
        @Valid @DefaultValue Intake intake) {

    public enum UnleashMode { STREAMING, POLLING }

    public record Unleash(
            @NotNull @DefaultValue("STREAMING") UnleashMode mode,
            @NotNull @DefaultValue("1s") Duration pollInterval,
            @NotBlank String backupFile,
            @NotBlank @DefaultValue("agent-router") String appName,
            /* Streaming silent-with-errors for this long → a 1 s polling client takes over until the stream is back. */
            @NotNull @DefaultValue("3s") Duration streamingFallbackAfter,
            /* How often a streaming router checks (conditional GET) that its stream is not silently stalled. */
            @NotNull @DefaultValue("10s") Duration streamCheckInterval) {}

    public record Deadlines(
            @NotNull @DefaultValue("10s") Duration defaultDeadline,
            /* provider → event type → deadline, e.g. vapi.assistant-request=7500ms. */
            Map<String, Map<String, Duration>> events) {
        public Duration forEvent(String provider, String eventType) {
            if (events != null) {
                Map<String, Duration> byType = events.get(provider);
                if (byType != null && byType.get(eventType) != null) {
                    return byType.get(eventType);
                }
            }
            return defaultDeadline;
        }
    }

    public record Failover(
            /* "provider:eventType" entries that get one v1 attempt when v2 fails. */
            @NotNull @DefaultValue({"vapi:assistant-request", "twilio:voice"}) Set<String> events,
            /* Share of the event's deadline the v2 attempt may use, the rest is kept for the v1 attempt. */
            @DecimalMin("0.1") @DecimalMax("1.0") @DefaultValue("0.6") double v2DeadlineShare) {
        public boolean appliesTo(String provider, String eventType) {
            return events.contains(provider + ":" + eventType) || events.contains(provider + ":*");
        }
    }

    public record Signatures(
            @NotNull @DefaultValue("5m") Duration maxAge,
            @Valid @DefaultValue ProviderSecrets vapi,
            @Valid @DefaultValue ProviderSecrets twilio,
            @Valid @DefaultValue ProviderSecrets retell,
            @Valid @DefaultValue ProviderSecrets generic) {}

    /**
     * verify=true (default) with no secret at all means every webhook of that provider is refused
     * (fail closed). Only an explicit verify=false turns the check off.
     */
    public record ProviderSecrets(
            @DefaultValue("true") boolean verify, String secret, Map<String, String> tenants) {
        public Optional<String> globalSecret() {
            return Optional.ofNullable(secret).filter(s -> !s.isBlank());
        }

        public Map<String, String> tenantSecrets() {
            return tenants == null ? Map.of() : tenants;
        }
    }

    public record Tenants(
            @NotNull @DefaultValue("30s") Duration refreshInterval,
            @NotBlank String cacheFile) {}

    public record Metrics(
            @NotNull @DefaultValue("2s") Duration pushInterval,
            @Min(1) @DefaultValue("360") int bufferedWindows) {}

    public record Generic(
            @NotBlank @DefaultValue("X-Tenant-Id") String tenantHeader,
            String tenantPointer,
            @NotBlank @DefaultValue("/callId") String callIdPointer,
            @NotBlank @DefaultValue("/type") String eventTypePointer,
            @NotBlank @DefaultValue("/id") String messageIdPointer) {}

    public record Pinning(
            @NotNull @DefaultValue("2h") Duration ttl, @Min(1) @DefaultValue("200000") long maxCalls) {}

    public record Dedup(
            @NotNull @DefaultValue("10m") Duration window, @Min(1) @DefaultValue("100000") long maxEntries) {}

    /**
     * Shared state of several routers behind one URL (call pins, retry answers). No URL: each router keeps them
     * in its own memory. Every command has a short timeout; a router that cannot reach Redis decides locally,
     * skips Redis for retry-after and writes what it decided meanwhile when Redis is back.
     */
    public record Redis(
            String url,
            @NotNull @DefaultValue("50ms") Duration commandTimeout,
            @NotNull @DefaultValue("1s") Duration retryAfter,
            @NotBlank @DefaultValue("switchboard:router:") String keyPrefix,
            @Min(0) @DefaultValue("10000") int maxPendingWrites) {
        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }

    /** Connection limits of the webhook intake. */
    public record Intake(
            /* A request whose headers and body have not all arrived by then is answered 408 and closed. */
            @NotNull @DefaultValue("10s") Duration readTimeout,
            /* A keep-alive connection with no request for this long is closed. */
            @NotNull @DefaultValue("60s") Duration idleTimeout) {}

    public record CircuitBreaker(
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @Min(1) @DefaultValue("20") int minimumNumberOfCalls,
            @Min(1) @DefaultValue("50") int slidingWindowSize,
            @NotNull @DefaultValue("10s") Duration waitInOpenState) {}
}
