package dev.switchboard.router.intake;

import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.pinning.CallPinning;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Step 6, pin and decide: an event of a known call goes where the call's first event went (on any router); a
 * new call's variant comes from the {@link FlagDecision}; an unresolved tenant stays on v1.
 */
@Component
class DecideStep {

    private final FlagDecision decision;
    private final CallPinning pinning;

    DecideStep(FlagDecision decision, CallPinning pinning) {
        this.decision = decision;
        this.pinning = pinning;
    }

    /**
     * With shared state, the call's pin is claimed while the retry key is being claimed (one pipelined round trip
     * to Redis instead of two in a row). Harmless for a duplicate: its call's pin exists already.
     */
    WebhookExchange claimAhead(WebhookExchange x) {
        if (pinning.shared() && x.event.callId().isPresent() && x.event.retryKey().isPresent()) {
            Mono<CallPinning.Pin> pin = pin(x).cache();
            pin.subscribe(p -> {}, e -> {});
            x.pinAhead = pin;
        }
        return x;
    }

    Mono<WebhookExchange> apply(WebhookExchange x) {
        if (x.event.callId().isEmpty()) {
            x.variant = decide(x);
            return Mono.just(x);
        }
        return (x.pinAhead != null ? x.pinAhead : pin(x))
                .map(pin -> {
                    x.variant = pin.variant();
                    x.newCall = pin.newCall();
                    return x;
                });
    }

    private Mono<CallPinning.Pin> pin(WebhookExchange x) {
        return pinning.pin(x.providerId(), x.tenant.tenantOrUnresolved(), x.event.callId().get(), () -> decide(x));
    }

    private Variant decide(WebhookExchange x) {
        return x.tenant.tenantId().map(decision::decide).orElse(Variant.V1);
    }
}
