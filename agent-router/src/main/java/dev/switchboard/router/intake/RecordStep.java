package dev.switchboard.router.intake;

import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.forwarding.BackendAnswer;
import dev.switchboard.router.forwarding.CircuitBreakers;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.metrics.WebhookOutcome;
import dev.switchboard.router.pinning.CallPinning;
import org.springframework.stereotype.Component;

/** Step 8, record: the outcome into the router's metrics (through {@link RouterMetrics}); an ending event unpins its call. */
@Component
class RecordStep {

    private final RouterMetrics metrics;
    private final CircuitBreakers breakers;
    private final CallPinning pinning;

    RecordStep(RouterMetrics metrics, CircuitBreakers breakers, CallPinning pinning) {
        this.metrics = metrics;
        this.breakers = breakers;
        this.pinning = pinning;
    }

    BackendAnswer apply(WebhookExchange x, BackendAnswer answer) {
        String provider = x.providerId();
        double latencyMs = (System.nanoTime() - x.startedNanos) / 1_000_000.0;
        String tenantId = x.tenant.tenantOrUnresolved();
        if (answer.failedOver()) {
            metrics.handled(new WebhookOutcome(provider, Variant.V2.id(), tenantId, x.event.callId(), x.newCall, true,
                    true, breakers.drainOpens(Variant.V2), -1, "failover"));
            metrics.handled(new WebhookOutcome(provider, Variant.V1.id(), tenantId, x.event.callId(), false,
                    answer.backendFailed(), false, breakers.drainOpens(Variant.V1), latencyMs,
                    answer.backendFailed() ? "backend_error" : "forwarded"));
        } else {
            metrics.handled(new WebhookOutcome(provider, answer.answeredBy().id(), tenantId, x.event.callId(), x.newCall,
                    answer.backendFailed(), false, breakers.drainOpens(answer.answeredBy()), latencyMs,
                    answer.backendFailed() ? "backend_error" : "forwarded"));
        }
        if (x.event.endsCall()) {
            x.event.callId().ifPresent(id -> pinning.end(provider, tenantId, id));
        }
        return answer;
    }
}
