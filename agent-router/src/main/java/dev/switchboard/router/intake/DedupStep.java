package dev.switchboard.router.intake;

import dev.switchboard.router.dedup.RetryDeduplicator;
import dev.switchboard.router.dedup.StoredAnswer;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.metrics.WebhookOutcome;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Step 5, de-duplicate: a provider retry (same provider + tenant + retry key within the window) is forwarded
 * once, on whichever router it lands; the others get the first answer.
 */
@Component
class DedupStep {

    private final RetryDeduplicator dedup;
    private final RouterMetrics metrics;

    DedupStep(RetryDeduplicator dedup, RouterMetrics metrics) {
        this.dedup = dedup;
        this.metrics = metrics;
    }

    Mono<StoredAnswer> apply(WebhookExchange x, Function<WebhookExchange, Mono<StoredAnswer>> rest) {
        if (x.event.retryKey().isEmpty()) {
            return rest.apply(x);
        }
        String key = x.providerId() + "|" + x.tenant.tenantOrUnresolved() + "|" + x.event.retryKey().get();
        return dedup.once(key, () -> rest.apply(x)).map(outcome -> {
            if (outcome.duplicate()) {
                metrics.handled(new WebhookOutcome(x.providerId(), outcome.answer().variant(), outcome.answer().tenant(),
                        x.event.callId(), false, false, false, 0, -1, "deduplicated"));
            }
            return outcome.answer();
        });
    }
}
