package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.alerts.Resolutions;
import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.FlagChanges;
import dev.switchboard.controlplane.flags.FlagCommand;
import dev.switchboard.controlplane.flags.OverrideMode;
import dev.switchboard.controlplane.metrics.Comparison;
import dev.switchboard.controlplane.metrics.MetricWindowStore;
import dev.switchboard.controlplane.metrics.MetricsClock;
import dev.switchboard.controlplane.metrics.RouterDirectory;
import dev.switchboard.controlplane.metrics.RouterView;
import dev.switchboard.controlplane.metrics.StoredComparisons;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One evaluation of one flag, with its consequences, in one transaction: the verdict, the alerts and their
 * outbox rows, the new analysis state and (policy permitting) the rollback through {@link FlagChanges} as the
 * {@code guard} admin. Either all of it commits or none of it does; delivery happens later, elsewhere.
 */
@Service
public class GuardService {

    private static final Logger LOG = LoggerFactory.getLogger(GuardService.class);
    public static final Caller GUARD = new Caller("guard", Role.ADMIN);

    /**
     * After a rollback, data from windows that started before rollback + this grace is not judged again for the
     * scope: the last windows of the bad period (still in flight when the rollback committed) must not count
     * against the re-enabled v2.
     */
    static final Duration ARM_GRACE = Duration.ofSeconds(5);

    private final StoredComparisons comparisons;
    private final GuardStore store;
    private final AlertStore alerts;
    private final Resolutions resolutions;
    private final AuditLog audit;
    private final FlagChanges changes;
    private final TransactionalOperator tx;
    private final GuardProperties properties;
    private final MetricsClock clock;
    private final RouterDirectory routers;
    private final MetricWindowStore windows;

    GuardService(RouterDirectory routers, MetricWindowStore windows, StoredComparisons comparisons, GuardStore store, AlertStore alerts, Resolutions resolutions,
                 AuditLog audit, FlagChanges changes, TransactionalOperator tx, GuardProperties properties,
                 MetricsClock clock) {
        this.routers = routers;
        this.windows = windows;
        this.comparisons = comparisons;
        this.store = store;
        this.alerts = alerts;
        this.resolutions = resolutions;
        this.audit = audit;
        this.changes = changes;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    public Thresholds thresholdsFor(GuardStore.FlagGuard guard) {
        return guard.thresholds().orElseGet(() -> properties.thresholds().toThresholds());
    }

    /** Evaluates the flag now; empty when another replica is on it or evaluated it a moment ago. */
    public Mono<Verdict> evaluate(String flag) {
        Instant now = clock.now();
        Mono<List<String>> blind = routers.routers().filter(RouterView::blind).map(RouterView::routerId).collectList()
                .onErrorReturn(List.of());
        return store.find(flag).flatMap(guard -> input(flag, now, thresholdsFor(guard), guard.state()))
                .zipWith(blind)
                .flatMap(in -> store.lockForEvaluation(flag, now.minus(properties.interval().dividedBy(2)))
                        .flatMap(guard -> decide(guard, in.getT1(), now, in.getT2()))
                        .as(tx::transactional));
    }

    /** The numbers of one evaluation; each scope only sees data from after its last rollback (its arming). */
    private Mono<GuardInput> input(String flag, Instant now, Thresholds thresholds, GuardState state) {
        long minV2 = thresholds.minV2Requests();
        Duration window = armed(properties.window(), state.flag(), now);
        Duration horizon = armed(properties.sequentialHorizon(), state.flag(), now);
        Mono<List<Finding>> sequential = windows.secondSums(flag, now.minus(horizon), now)
                .collect(java.util.TreeMap<Instant, Map<String, MetricWindowStore.Sums>>::new,
                        (m, e) -> m.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(e.getValue().variant(), e.getValue()))
                .map(byTime -> new SequentialRules(thresholds, properties.sequentialThreshold(),
                        properties.sequentialRelativeThreshold()).evaluate(byTime.values().stream()
                        .map(v -> new SequentialRules.Bucket(v.getOrDefault("v1", MetricWindowStore.Sums.empty("v1")),
                                v.getOrDefault("v2", MetricWindowStore.Sums.empty("v2")))).toList(), label(horizon)));
        Mono<Map<String, GuardInput.Pair>> tenantPairs = comparisons.compareTenants(flag, properties.window(), now, minV2)
                .flatMap(all -> Flux.fromIterable(all.entrySet())
                        .concatMap(e -> {
                            // a tenant is judged on data after its own last rollback and after the flag's
                            GuardState.Track track = state.tenants().get(e.getKey());
                            Duration own = track == null ? properties.window() : armed(properties.window(), track, now);
                            Duration flagWide = armed(properties.window(), state.flag(), now);
                            Duration span = own.compareTo(flagWide) <= 0 ? own : flagWide;
                            Mono<Comparison> c = span.equals(properties.window()) ? Mono.just(e.getValue())
                                    : comparisons.compareTenant(flag, e.getKey(), span, now);
                            return c.map(x -> Map.entry(e.getKey(), new GuardInput.Pair(x.v1(), x.v2())));
                        })
                        .collect(LinkedHashMap::new, (Map<String, GuardInput.Pair> m, Map.Entry<String, GuardInput.Pair> e)
                                -> m.put(e.getKey(), e.getValue())));
        // the short fixed windows (recent, confirm) are replaced by the sequential tests over the short router windows
        return Mono.zip(comparisons.compare(flag, window, now), sequential,
                        comparisons.compare(flag, armed(Duration.ofHours(1), state.flag(), now), now),
                        tenantPairs)
                .map(t -> {
                    Comparison sliding = t.getT1();
                    return new GuardInput(label(properties.window()), sliding.v1(), sliding.v2(),
                            null, null, null, null, null, null, t.getT3().v2().circuitBreakerOpens(), t.getT4(),
                            t.getT2());
                });
    }

    /** The span to judge: the configured one, cut at the scope's arming (at least one second). */
    static Duration armed(Duration span, GuardState.Track track, Instant now) {
        if (track == null || track.armedAt() == null) {
            return span;
        }
        Duration since = Duration.between(track.armedAt(), now);
        if (since.compareTo(span) >= 0) {
            return span;
        }
        return since.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : since;
    }

    private Mono<Verdict> decide(GuardStore.FlagGuard guard, GuardInput input, Instant now, List<String> blind) {
        Analyzer analyzer = new Analyzer(thresholdsFor(guard), properties.resolvePeriod());
        Analyzer.Outcome analyzed = analyzer.step(guard.state(), input, now);
        Verdict v = analyzed.verdict().blinded(blind);
        Analyzer.Outcome outcome = new Analyzer.Outcome(analyzed.state().withBlindRouters(blind), v);
        List<String> newlyBlind = blind.stream().filter(r -> !guard.state().blindRouters().contains(r)).toList();
        boolean keep = !v.transitions().isEmpty() || guard.lastStatus().map(s -> !s.equals(v.status())).orElse(true)
                || !blind.equals(guard.state().blindRouters())
                || guard.lastVerdictAt().map(at -> at.isBefore(now.minusSeconds(60))).orElse(true);
        Mono<Long> verdictId = keep ? store.insertVerdict(guard.flag(), v) : Mono.just(-1L);
        List<Optional<String>> mitigated = new ArrayList<>();
        return verdictId.flatMap(id -> Flux.fromIterable(v.transitions())
                        .concatMap(t -> act(guard, v, id, t, mitigated))
                        .thenMany(Flux.fromIterable(newlyBlind).concatMap(r -> warnBlind(guard.flag(), r, v)))
                        .then(Mono.defer(() -> store.saveState(guard.flag(), rearm(outcome.state(), mitigated, now), now,
                                v.status(), keep ? Optional.of(now) : guard.lastVerdictAt()))))
                .thenReturn(v);
    }

    /** A live router stopped reporting: Slack warning (once per blind spell; the cooldown caps repeats). */
    private Mono<Void> warnBlind(String flag, String router, Verdict v) {
        String link = properties.dashboardUrl().replaceAll("/+$", "") + "/flags/" + flag + "/routers";
        AlertMessages.AlertText text = new AlertMessages.AlertText(flag, null, "warning", "router-blind",
                "Voice Agent V2: blind: router " + router + " not reporting (" + flag + ")",
                "router " + router + " is live (its SDK checks in) but its metric windows are not arriving or are "
                        + "refused: the guard cannot see its traffic. " + v.summary(),
                "none: check the router's log (WARN 'refused metric window') and its router token", v.at(), link,
                Map.of("router", router));
        LOG.warn("guard for {}: blind: router {} not reporting", flag, router);
        return alerts.enqueue(null, flag, "slack", "blind", "switchboard/" + flag + "/blind/" + router,
                AlertMessages.slackRaised(text), true);
    }

    /** Scopes whose alert was mitigated by a rollback are armed again: the next breach is a new episode. */
    private static GuardState rearm(GuardState state, List<Optional<String>> mitigated, Instant now) {
        if (mitigated.isEmpty()) {
            return state;
        }
        GuardState.Track flag = state.flag();
        Map<String, GuardState.Track> tenants = new LinkedHashMap<>(state.tenants());
        for (Optional<String> scope : mitigated) {
            GuardState.Track armed = GuardState.Track.rearmed(now.plus(ARM_GRACE));
            if (scope.isEmpty()) {
                flag = armed;
            } else {
                tenants.put(scope.get(), armed);
            }
        }
        return new GuardState(flag, tenants, state.blindRouters());
    }

    private Mono<Void> act(GuardStore.FlagGuard guard, Verdict v, long verdictId, Transition t,
                           List<Optional<String>> mitigated) {
        String flag = guard.flag();
        String link = properties.dashboardUrl().replaceAll("/+$", "") + "/flags/" + flag;
        if (t.kind() == Transition.Kind.RESOLVE) {
            String why = t.rules().contains("mitigated")
                    ? "v2 healthy for " + label(properties.resolvePeriod()) + " since it was re-enabled: " + v.summary()
                    : "healthy for the last evaluations: " + v.summary();
            String resolution = t.rules().contains("mitigated") ? "healthy after re-enable" : "recovered";
            return alerts.resolve(flag, t.tenant(), v.at(), resolution)
                    .concatMap(open -> resolutions.resolved(flag, open, why, v.at(), link)
                            .then(audit.append(AuditEvent.of(GUARD, "alert.resolved", flag, t.tenant().orElse(null),
                                    null, Map.of("alertId", open.id(), "episode", open.episode(),
                                            "dedupKey", open.dedupKey(), "resolution", resolution), why, null))).then())
                    .then();
        }
        Finding evidence = t.evidence().orElseThrow();
        boolean critical = t.severity() == Severity.CRITICAL;
        Optional<FlagCommand> command = Optional.empty();
        String action = "none (warning)";
        if (critical) {
            switch (guard.policy()) {
                case AUTO_ROLLBACK -> {
                    command = Optional.of(t.tenant().<FlagCommand>map(tenant -> new FlagCommand.SetOverride(tenant,
                            Optional.of(OverrideMode.DENY), "rollback.tenant")).orElse(new FlagCommand.TotalRollback()));
                    action = t.tenant().map(x -> "tenant " + x + " rolled back to v1 (deny list)")
                            .orElse("rolled back to 0% and disabled (all tenants on v1)");
                }
                case PAUSE -> action = "rollout paused: advance refused until resolved";
                case NOTIFY_ONLY -> action = "none (notify-only policy)";
            }
        }
        String explanation = explain(evidence) + " — verdict #" + verdictId + ": " + v.summary();
        Map<String, Object> details = new LinkedHashMap<>();
        String title = critical && guard.policy() == GuardPolicy.AUTO_ROLLBACK
                ? "URGENT: Voice Agent V2 Rollback Initiated (" + flag + t.tenant().map(x -> ", tenant " + x).orElse("") + ")"
                : "Voice Agent V2: " + t.severity().wireName() + " " + evidence.rule() + " (" + flag + ")";
        details.put("rule", evidence.rule());
        details.put("window", evidence.window());
        details.put("value", evidence.value());
        details.put("threshold", evidence.threshold());
        details.put("baseline", evidence.baseline());
        details.put("sampleSize", evidence.sampleSize());
        details.put("confidence", evidence.confidence());
        details.put("verdictId", verdictId);
        details.put("verdict", v.summary());
        String finalAction = action;
        Optional<FlagCommand> finalCommand = command;
        return alerts.episodeFor(flag, t.tenant()).flatMap(episode -> {
            String dedupKey = "switchboard/" + flag + t.tenant().map(x -> "/" + x).orElse("") + "/" + evidence.rule()
                    + "/e" + episode;
            details.put("episode", episode);
            AlertMessages.AlertText text = new AlertMessages.AlertText(flag, t.tenant().orElse(null),
                    t.severity().wireName(), evidence.rule(), title + " — episode " + episode, evidence.message(),
                    finalAction, v.at(), link, details);
            // a critical breach while an earlier episode of the scope is still unresolved supersedes it
            Mono<Void> supersede = critical ? alerts.resolve(flag, t.tenant(), v.at(), "superseded by episode " + episode)
                    .concatMap(old -> resolutions.resolved(flag, old, "superseded: v2 breached again (episode "
                            + episode + ")", v.at(), link)).then() : Mono.empty();
            return supersede.then(alerts.insertAlert(flag, t.tenant(), t.severity().wireName(), evidence.rule(),
                            dedupKey, explanation, verdictId > 0 ? verdictId : null, finalAction, v.at(), episode))
                    .flatMap(alertId -> alerts.enqueue(alertId, flag, "slack", "trigger",
                                    dedupKey + "|" + t.severity().wireName(), AlertMessages.slackRaised(text, alertId), true)
                            .then(critical ? alerts.enqueue(alertId, flag, "pagerduty", "trigger",
                                    dedupKey + "|" + t.severity().wireName(),
                                    AlertMessages.pagerDutyTrigger(text, dedupKey, alertId), true) : Mono.empty())
                            .then(Mono.defer(() -> finalCommand.map(cmd -> changes.apply(flag, cmd, new ChangeContext(GUARD,
                                            "guard verdict #" + verdictId + ": " + explain(evidence) + "; " + v.summary(),
                                            Optional.empty(), Optional.of("guard-verdict-" + verdictId)))
                                    .doOnNext(o -> LOG.warn("guard rolled back {} (episode {}): {}", flag, episode,
                                            finalAction))
                                    .flatMap(o -> mitigate(flag, t.tenant(), alertId, episode, dedupKey, finalAction,
                                            o.flag().revision(), v.at(), mitigated)))
                                    .orElse(Mono.empty()))));
        });
    }

    /** The rollback committed: the alert is mitigated (and says so, as does the audit); the scope re-arms. */
    private Mono<Void> mitigate(String flag, Optional<String> tenant, long alertId, int episode, String dedupKey,
                                String action, long revision, Instant at, List<Optional<String>> mitigated) {
        mitigated.add(tenant);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertId", alertId);
        details.put("episode", episode);
        details.put("dedupKey", dedupKey);
        details.put("rollback", action);
        details.put("revision", revision);
        return alerts.mitigate(alertId, at)
                .then(audit.append(AuditEvent.of(GUARD, "alert.mitigated", flag, tenant.orElse(null), null, details,
                        "rollback committed at revision " + revision + "; the guard is armed for the next episode",
                        null))).then();
    }

    static String explain(Finding f) {
        StringBuilder s = new StringBuilder(f.rule()).append(" over ").append(f.window()).append(": value ")
                .append(num(f.value())).append(", threshold ").append(num(f.threshold()));
        if (f.baseline() != null) {
            s.append(", v1 baseline ").append(num(f.baseline()));
        }
        s.append(", sample size ").append(f.sampleSize());
        if (f.confidence() != null) {
            s.append(", confidence ").append(String.format(Locale.ROOT, "%.1f%%", f.confidence() * 100));
        }
        return s.toString();
    }

    private static String num(double v) {
        return Math.abs(v) < 1 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String label(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    public GuardProperties properties() {
        return properties;
    }
}
