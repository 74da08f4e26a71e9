package dev.switchboard.controlplane.alerts;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.security.Caller;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link AlertBoard} over the stored alerts. Acknowledging is audited. For an open critical alert it also
 * acknowledges the PagerDuty incident (same dedup key) through the outbox; a mitigated alert (its rollback took
 * effect) is resolved by the acknowledgement: PagerDuty resolve and a Slack "resolved" message, and the next
 * breach is a new episode.
 */
@Service
public class StoredAlertBoard implements AlertBoard {

    private final AlertStore store;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final Resolutions resolutions;
    private final String dashboardUrl;

    StoredAlertBoard(AlertStore store, AuditLog audit, TransactionalOperator tx, Resolutions resolutions,
                     @org.springframework.beans.factory.annotation.Value("${switchboard.guard.dashboard-url:http://localhost:8080}")
                     String dashboardUrl) {
        this.store = store;
        this.audit = audit;
        this.tx = tx;
        this.resolutions = resolutions;
        this.dashboardUrl = dashboardUrl.replaceAll("/+$", "");
    }

    @Override
    public Flux<AlertView> active(Optional<String> flag) {
        return store.list(flag, true, 500);
    }

    public Flux<AlertView> recent(Optional<String> flag, boolean openOnly, int limit) {
        return store.list(flag, openOnly, limit);
    }

    @Override
    public Mono<AlertView> acknowledge(long id, Caller caller, String requestId) {
        Mono<AlertView> ack = store.find(id)
                .switchIfEmpty(Mono.error(() -> new NotFound("alert", String.valueOf(id))))
                .flatMap(before -> {
                    if (before.acknowledgedAt().isPresent()) {
                        return Mono.just(before);
                    }
                    Mono<Void> pd = "critical".equals(before.severity()) && "open".equals(before.status())
                            ? store.dedupKey(id).flatMap(key -> store.enqueue(id, before.flag(), "pagerduty",
                            "acknowledge", key + "|ack", AlertMessages.pagerDutyEvent("acknowledge", key), false))
                            : "mitigated".equals(before.status())
                            ? store.resolveOne(id, java.time.Instant.now(), "acknowledged by " + caller.name())
                            .flatMap(a -> resolutions.resolved(before.flag(), a, "acknowledged by " + caller.name()
                                    + " after the rollback", java.time.Instant.now(), dashboardUrl + "/flags/" + before.flag()))
                            : Mono.empty();
                    return store.acknowledge(id, caller.name())
                            .then(pd)
                            .then(store.find(id))
                            .flatMap(after -> audit.append(AuditEvent.of(caller, "alert.acknowledged", before.flag(),
                                    before.tenantId().orElse(null), null, after, "alert #" + id + " " + before.rule(),
                                    requestId)).thenReturn(after));
                });
        return ack.as(tx::transactional);
    }
}
