package dev.switchboard.controlplane.confirmations;

import dev.switchboard.contract.RevisionConfirmation;
import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.flags.FlagStore;
import dev.switchboard.controlplane.guard.GuardProperties;
import dev.switchboard.controlplane.metrics.MetricsClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which live routers decide with which revision of a flag. A router confirms as soon as its SDK applied a revision
 * (and again as a heartbeat); the control plane keeps one row per (router, flag) in PostgreSQL, so every replica
 * gives the same answer. When every live router confirmed a flag's current revision, that is recorded once, with an
 * audit event {@code flag.confirmed} that names the change's own audit event and its confirmation time. A live
 * router that has not confirmed the current revision {@code staleAfter} after the change raises a warning alert
 * (Slack), resolved when it confirms or stops counting.
 */
@Service
public class Confirmations {

    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);
    static final String ACTION = "flag.confirmed";

    private final ConfirmationStore store;
    private final FlagStore flags;
    private final AuditLog audit;
    private final AlertStore alerts;
    private final TransactionalOperator tx;
    private final ConfirmationProperties properties;
    private final GuardProperties guard;
    private final MetricsClock clock;

    Confirmations(ConfirmationStore store, FlagStore flags, AuditLog audit, AlertStore alerts, TransactionalOperator tx,
                  ConfirmationProperties properties, GuardProperties guard, MetricsClock clock) {
        this.store = store;
        this.flags = flags;
        this.audit = audit;
        this.alerts = alerts;
        this.tx = tx;
        this.properties = properties;
        this.guard = guard;
        this.clock = clock;
    }

    /** The confirmation state of the flag's current revision, as of now. */
    public Mono<FlagConfirmation> of(FlagState flag) {
        Instant now = clock.now();
        return store.rows(flag.name(), now.minus(properties.forgetAfter())).collectList()
                .map(rows -> view(flag, rows, now, properties.silentAfter()));
    }

    /**
     * Takes one router's confirmation (already checked against the contract and the caller's router id). Only a
     * router's move to another revision can complete one or resolve its stale warning: that is settled under the
     * flag's lock, at once. The same revision again (the heartbeat every few seconds from every router, the first
     * decision joining late) only updates the router's row, without the lock, so the routers' heartbeats do not
     * queue behind each other on the flag; what a silent router's return changes is settled by the next round.
     */
    Mono<Void> confirm(RevisionConfirmation c) {
        Instant now = clock.now();
        return flags.find(c.flag())
                .switchIfEmpty(Mono.error(() -> new InvalidInput("flag", "unknown", "no flag named " + c.flag())))
                .flatMap(flag -> store.upsert(c, now)
                        .flatMap(previous -> previous == c.revision() ? Mono.<Void>empty()
                                : store.lock(flag.name())
                                        // the state under the lock: a change committed meanwhile is seen
                                        .then(flags.find(flag.name()))
                                        .flatMap(current -> settle(current, false))))
                .as(tx::transactional);
    }

    /** One round over every flag: record completions the confirmations missed, raise and resolve stale alerts. */
    Mono<Void> round() {
        // flags some router confirmed lately, and flags with a stale-router alert still to resolve
        return Flux.concat(store.confirmedFlags(clock.now().minus(properties.forgetAfter().plus(properties.interval()))),
                        alerts.flagsWithUnresolved(ConfirmationStore.STALE_RULE))
                .distinct()
                .concatMap(flag -> store.lock(flag)
                        .then(flags.find(flag))
                        .flatMap(current -> settle(current, properties.alertsEnabled()))
                        .as(tx::transactional)
                        .onErrorResume(e -> {
                            LOG.warn("confirmation round for {} failed: {}", flag, e.toString());
                            return Mono.empty();
                        }))
                .then();
    }

    private Mono<Void> settle(FlagState flag, boolean raiseStale) {
        return of(flag).flatMap(view -> {
            Mono<Void> complete = view.complete()
                    ? store.recordComplete(flag.name(), view).flatMap(recorded -> recorded ? auditCompletion(flag, view)
                    : Mono.empty())
                    : Mono.empty();
            return complete.then(staleAlerts(flag, view, raiseStale));
        });
    }

    private Mono<Void> auditCompletion(FlagState flag, FlagConfirmation view) {
        return audit.eventLeavingRevision(flag.name(), view.revision(), ACTION).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(changeEvent -> {
                    Map<String, Object> after = new LinkedHashMap<>();
                    after.put("revision", view.revision());
                    after.put("changeEventId", changeEvent.orElse(null));
                    after.put("changedAt", view.changedAt());
                    after.put("confirmedAt", view.completeAt());
                    after.put("confirmationMs", view.slowestDelayMs());
                    after.put("confirmedBy", view.confirmedBy());
                    after.put("slowestRouter", view.slowestRouter());
                    after.put("routers", view.routerStates().stream().collect(Collectors.toMap(
                            RouterConfirmation::routerId, r -> r.delayMs(), (a, b) -> a, LinkedHashMap::new)));
                    String reason = String.format(Locale.ROOT, "revision %d effective on %s routers, %.1f ms after the "
                                    + "change (slowest: %s)%s", view.revision(), view.confirmedBy(), view.slowestDelayMs(),
                            view.slowestRouter(), changeEvent.map(id -> "; confirms audit event #" + id).orElse(""));
                    return audit.append(new AuditEvent(null, null, "switchboard", "system", ACTION, flag.name(), null,
                            null, after, reason, null)).then();
                });
    }

    private Mono<Void> staleAlerts(FlagState flag, FlagConfirmation view, boolean raise) {
        Instant now = clock.now();
        Map<String, RouterConfirmation> counted = view.routerStates().stream()
                .collect(Collectors.toMap(RouterConfirmation::routerId, r -> r));
        return alerts.unresolved(flag.name(), ConfirmationStore.STALE_RULE).collectList().flatMap(open -> {
            Set<String> alerted = open.stream().map(a -> ConfirmationStore.routerOf(a.dedupKey())).collect(Collectors.toSet());
            Flux<Void> resolved = Flux.fromIterable(open).concatMap(a -> {
                String routerId = ConfirmationStore.routerOf(a.dedupKey());
                RouterConfirmation r = counted.get(routerId);
                if (r != null && !r.current()) {
                    return Mono.empty(); // still deciding on an old revision: the warning stays
                }
                return alerts.resolveOne(a.id(), now, r == null ? "router no longer counted" : "router confirmed")
                        .then(alerts.enqueue(a.id(), flag.name(), "slack", "resolve", a.dedupKey() + "|resolve",
                                AlertMessages.slackResolved(text(flag, view, r, routerId, now)), false));
            });
            boolean overdue = Duration.between(view.changedAt(), now).compareTo(properties.staleAfter()) > 0;
            Flux<Void> raised = !raise || !overdue ? Flux.empty() : Flux.fromIterable(view.routerStates())
                    .filter(r -> !r.current() && !alerted.contains(r.routerId()))
                    .concatMap(r -> {
                        String key = ConfirmationStore.dedupKey(flag.name(), r.routerId());
                        AlertMessages.AlertText text = text(flag, view, r, r.routerId(), now);
                        LOG.warn("router {} has not confirmed {} revision {} ({}); it decides on stale flags",
                                r.routerId(), flag.name(), view.revision(), text.trigger());
                        return alerts.insertAlert(flag.name(), Optional.empty(), "warning", ConfirmationStore.STALE_RULE,
                                        key, text.trigger(), null, text.action(), now)
                                .flatMap(id -> alerts.enqueue(id, flag.name(), "slack", "trigger", key + "|warning",
                                        AlertMessages.slackRaised(text), true));
                    });
            return resolved.thenMany(raised).then();
        });
    }

    private AlertMessages.AlertText text(FlagState flag, FlagConfirmation view, RouterConfirmation r, String routerId,
                                         Instant now) {
        String trigger = r == null
                ? "router " + routerId + " silent for over " + properties.forgetAfter().toSeconds() + " s, no longer counted"
                : r.current()
                ? "router " + routerId + " now decides with revision " + view.revision()
                : "router " + routerId + " still decides with revision " + r.revision() + " of " + flag.name()
                + "; revision " + view.revision() + " was committed " + Duration.between(view.changedAt(), now).toSeconds()
                + " s ago" + (r.silent() ? "; silent since " + r.lastSeen() : "; last heard " + r.lastSeen());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("routerId", routerId);
        details.put("revision", view.revision());
        details.put("routerRevision", r == null ? null : r.revision());
        details.put("confirmedBy", view.confirmedBy());
        return new AlertMessages.AlertText(flag.name(), null, "warning", ConfirmationStore.STALE_RULE,
                "Router " + routerId + " decides on stale flags (" + flag.name() + ")", trigger,
                "none: restart the router or take it out of the load balancer (runbook: rollback)", now,
                guard.dashboardUrl().replaceAll("/+$", "") + "/flags/" + flag.name(), details);
    }

    /** Pure: the confirmation view from the routers' rows. */
    static FlagConfirmation view(FlagState flag, List<ConfirmationStore.Row> rows, Instant now, Duration silentAfter) {
        Instant changedAt = flag.updatedAt().toInstant();
        List<RouterConfirmation> states = new ArrayList<>();
        for (ConfirmationStore.Row row : rows) {
            boolean current = row.revision() == flag.revision();
            Double delay = null;
            Double firstDecision = null;
            if (current) {
                long upper = Math.max(0, Duration.between(changedAt, row.confirmedAt()).toNanos());
                long applied = Duration.between(changedAt, row.appliedAt()).toNanos();
                delay = Math.min(Math.max(0, applied), upper) / 1e6;
                if (row.firstDecisionAt() != null) {
                    long upperSeen = Math.max(0, Duration.between(changedAt, row.lastSeen()).toNanos());
                    firstDecision = Math.min(Math.max(0, Duration.between(changedAt, row.firstDecisionAt()).toNanos()),
                            upperSeen) / 1e6;
                }
            }
            boolean silent = Duration.between(row.lastSeen(), now).compareTo(silentAfter) > 0;
            states.add(new RouterConfirmation(row.routerId(), row.revision(), current, row.source(), row.appliedAt(),
                    row.receivedAt(), row.firstDecisionAt(), row.confirmedAt(), row.lastSeen(), silent, delay,
                    firstDecision));
        }
        List<RouterConfirmation> confirmed = states.stream().filter(RouterConfirmation::current).toList();
        Optional<RouterConfirmation> slowest = confirmed.stream().max(Comparator.comparingDouble(RouterConfirmation::delayMs));
        boolean complete = !states.isEmpty() && confirmed.size() == states.size();
        Instant completeAt = complete
                ? changedAt.plusNanos(Math.round(slowest.get().delayMs() * 1e6)) : null;
        List<String> pending = states.stream().filter(r -> !r.current()).map(RouterConfirmation::routerId).toList();
        return new FlagConfirmation(flag.revision(), changedAt, confirmed.size() + "/" + states.size(), confirmed.size(),
                states.size(), complete, completeAt, slowest.map(RouterConfirmation::routerId).orElse(null),
                slowest.map(RouterConfirmation::delayMs).orElse(null), pending, states);
    }
}
