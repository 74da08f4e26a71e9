package dev.switchboard.controlplane.alerts;

import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What resolving an alert sends, whoever resolves it (the guard after a healthy resolve period, an operator's
 * acknowledgement of a mitigated alert, the next episode superseding it): a Slack "resolved" message and, for a
 * critical alert, a PagerDuty {@code resolve} with the alert's own dedup key (so exactly its incident closes).
 * Runs in the caller's transaction, like every outbox write.
 */
@Component
public class Resolutions {

    private final AlertStore store;

    Resolutions(AlertStore store) {
        this.store = store;
    }

    public Mono<Void> resolved(String flag, AlertStore.OpenAlert alert, String why, Instant at, String link) {
        AlertMessages.AlertText text = new AlertMessages.AlertText(flag, alert.tenant().orElse(null), alert.severity(),
                alert.rule(), "Voice Agent V2 " + alert.rule() + " (" + flag + alert.tenant().map(t -> ", tenant " + t)
                .orElse("") + ", episode " + alert.episode() + ")", why, "none", at, link, Map.of());
        Mono<Void> slack = store.enqueue(alert.id(), flag, "slack", "resolve", alert.dedupKey() + "|resolve",
                AlertMessages.slackResolved(text), false);
        Mono<Void> pd = "critical".equals(alert.severity())
                ? store.enqueue(alert.id(), flag, "pagerduty", "resolve", alert.dedupKey() + "|resolve",
                AlertMessages.pagerDutyEvent("resolve", alert.dedupKey()), false)
                : Mono.empty();
        return slack.then(pd);
    }
}
