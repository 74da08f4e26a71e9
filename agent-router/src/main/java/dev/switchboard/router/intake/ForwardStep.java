package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.dedup.StoredAnswer;
import dev.switchboard.router.forwarding.BackendAnswer;
import dev.switchboard.router.forwarding.BackendForwarder;
import dev.switchboard.router.forwarding.BackendRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Step 7, forward: to the chosen backend within the event's deadline (failover to v1 where allowed). Backend
 * answers pass unchanged; when no backend answered, the router answers in the provider's terms.
 */
@Component
class ForwardStep {

    private final BackendForwarder forwarder;
    private final RouterProperties properties;

    ForwardStep(BackendForwarder forwarder, RouterProperties properties) {
        this.forwarder = forwarder;
        this.properties = properties;
    }

    Mono<StoredAnswer> apply(WebhookExchange x, BiFunction<WebhookExchange, BackendAnswer, BackendAnswer> record) {
        String provider = x.providerId();
        BackendRequest request = new BackendRequest(x.provider.path(), x.headers, x.body, x.tenant.tenantOrUnresolved(),
                x.requestId, x.intakeLoop);
        Duration deadline = properties.deadlines().forEvent(provider, x.event.eventType());
        boolean failoverAllowed = properties.failover().appliesTo(provider, x.event.eventType());
        return forwarder.forward(x.variant, request, deadline, failoverAllowed)
                .map(answer -> toStored(x, record.apply(x, answer)));
    }

    private static StoredAnswer toStored(WebhookExchange x, BackendAnswer answer) {
        String variant = answer.answeredBy().id();
        String tenantId = x.tenant.tenantOrUnresolved();
        if (answer.body() != null) {
            return new StoredAnswer(answer.status(), answer.contentType(), answer.body(), variant, tenantId);
        }
        if (x.provider == Provider.VAPI && x.event.eventType().equals("assistant-request")) {
            // Vapi speaks this error to the caller instead of waiting out its 7.5 s limit in silence.
            byte[] body = "{\"error\":\"The assistant is unavailable right now. Please try again in a few minutes.\"}"
                    .getBytes(StandardCharsets.UTF_8);
            return new StoredAnswer(200, MediaType.APPLICATION_JSON_VALUE, body, variant, tenantId);
        }
        String rule = answer.status() == 504 ? "backend_deadline" : "backend_unavailable";
        String detail = "voice agent " + variant + " did not answer (" + answer.failure() + ")";
        return new StoredAnswer(answer.status(), ProblemResponses.PROBLEM_TYPE,
                ProblemResponses.json(answer.status(), rule, null, detail), variant, tenantId);
    }
}
