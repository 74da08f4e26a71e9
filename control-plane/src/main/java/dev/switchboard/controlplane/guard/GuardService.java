package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.FlagChanges;
import dev.switchboard.controlplane.flags.FlagCommand;
import dev.switchboard.controlplane.flags.OverrideMode;
import dev.switchboard.controlplane.metrics.Comparison;
import dev.switchboard.controlplane.metrics.MetricsClock;
import dev.switchboard.controlplane.metrics.StoredComparisons;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

    private final StoredComparisons comparisons;
    private final GuardStore store;
    private final AlertStore alerts;
    private final FlagChanges changes;
    private final TransactionalOperator tx;
    private final GuardProperties properties;
    private final MetricsClock clock;

    GuardService(StoredComparisons comparisons, GuardStore store, AlertStore alerts, FlagChanges changes,
                 TransactionalOperator tx, GuardProperties properties, MetricsClock clock) {
        this.comparisons = comparisons;
        this.store = store;
        this.alerts = alerts;
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
        return store.find(flag).flatMap(guard -> input(flag, now, thresholdsFor(guard).minV2Requests()))
                .flatMap(input -> store.lockForEvaluation(flag, now.minus(properties.interval().dividedBy(2)))
                        .flatMap(guard -> decide(guard, input, now))
                        .as(tx::transactional));
    }

    private Mono<GuardInput> input(String flag, Instant now, long minV2) {
        Duration window = properties.window();
        return Mono.zip(comparisons.compare(flag, window, now), comparisons.compare(flag, properties.recentWindow(), now),
                        comparisons.compare(flag, properties.confirmWindow(), now),
                        comparisons.compare(flag, Duration.ofHours(1), now),
                        comparisons.compareTenants(flag, window, now, minV2))
                .map(t -> {
                    Comparison sliding = t.getT1();
                    Comparison recent = t.getT2();
                    Comparison confirm = t.getT3();
                    Map<String, GuardInput.Pair> tenants = new LinkedHashMap<>();
                    t.getT5().forEach((tenant, c) -> tenants.put(tenant, new GuardInput.Pair(c.v1(), c.v2())));
                    return new GuardInput(label(window), sliding.v1(), sliding.v2(), label(properties.recentWindow()),
                            recent.v1(), recent.v2(), label(properties.confirmWindow()), confirm.v1(), confirm.v2(),
                            t.getT4().v2().circuitBreakerOpens(), tenants);
                });
    }

    private Mono<Verdict> decide(GuardStore.FlagGuard guard, GuardInput input, Instant now) {
        Analyzer analyzer = new Analyzer(thresholdsFor(guard));
        Analyzer.Outcome outcome = analyzer.step(guard.state(), input, now);
        Verdict v = outcome.verdict();
        boolean keep = !v.transitions().isEmpty() || guard.lastStatus().map(s -> !s.equals(v.status())).orElse(true)
                || guard.lastVerdictAt().map(at -> at.isBefore(now.minusSeconds(60))).orElse(true);
        Mono<Long> verdictId = keep ? store.insertVerdict(guard.flag(), v) : Mono.just(-1L);
        return verdictId.flatMap(id -> Flux.fromIterable(v.transitions())
                        .concatMap(t -> act(guard, v, id, t))
                        .then(store.saveState(guard.flag(), outcome.state(), now, v.status(),
                                keep ? Optional.of(now) : guard.lastVerdictAt())))
                .thenReturn(v);
    }

    private Mono<Void> act(GuardStore.FlagGuard guard, Verdict v, long verdictId, Transition t) {
        String flag = guard.flag();
        String dedupKey = "switchboard/" + flag + t.tenant().map(x -> "/" + x).orElse("") + "/" + t.primaryRule();
        String link = properties.dashboardUrl().replaceAll("/+$", "") + "/flags/" + flag;
        if (t.kind() == Transition.Kind.RESOLVE) {
            return alerts.resolve(flag, t.tenant(), v.at()).concatMap(open -> {
                AlertMessages.AlertText text = new AlertMessages.AlertText(flag, t.tenant().orElse(null),
                        open.severity(), open.rule(), "Voice Agent V2 " + open.rule() + " (" + flag + ")",
                        "healthy for " + "the last evaluations: " + v.summary(), "none", v.at(), link, Map.of());
                Mono<Void> slack = alerts.enqueue(open.id(), flag, "slack", "resolve", open.dedupKey() + "|resolve",
                        AlertMessages.slackResolved(text), false);
                Mono<Void> pd = "critical".equals(open.severity())
                        ? alerts.enqueue(open.id(), flag, "pagerduty", "resolve", open.dedupKey() + "|resolve",
                        AlertMessages.pagerDutyEvent("resolve", open.dedupKey()), false)
                        : Mono.empty();
                return slack.then(pd);
            }).then();
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
        String title = critical && guard.policy() == GuardPolicy.AUTO_ROLLBACK
                ? "URGENT: Voice Agent V2 Rollback Initiated (" + flag + t.tenant().map(x -> ", tenant " + x).orElse("") + ")"
                : "Voice Agent V2: " + t.severity().wireName() + " " + evidence.rule() + " (" + flag + ")";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rule", evidence.rule());
        details.put("window", evidence.window());
        details.put("value", evidence.value());
        details.put("threshold", evidence.threshold());
        details.put("baseline", evidence.baseline());
        details.put("sampleSize", evidence.sampleSize());
        details.put("confidence", evidence.confidence());
        details.put("verdictId", verdictId);
        details.put("verdict", v.summary());
        AlertMessages.AlertText text = new AlertMessages.AlertText(flag, t.tenant().orElse(null), t.severity().wireName(),
                evidence.rule(), title, evidence.message(), action, v.at(), link, details);
        String finalAction = action;
        Optional<FlagCommand> finalCommand = command;
        return alerts.insertAlert(flag, t.tenant(), t.severity().wireName(), evidence.rule(), dedupKey, explanation,
                        verdictId > 0 ? verdictId : null, finalAction, v.at())
                .flatMap(alertId -> alerts.enqueue(alertId, flag, "slack", "trigger",
                                dedupKey + "|" + t.severity().wireName(), AlertMessages.slackRaised(text), true)
                        .then(critical ? alerts.enqueue(alertId, flag, "pagerduty", "trigger",
                                dedupKey + "|" + t.severity().wireName(),
                                AlertMessages.pagerDutyTrigger(text, dedupKey), true) : Mono.empty()))
                .then(Mono.defer(() -> finalCommand.map(cmd -> changes.apply(flag, cmd, new ChangeContext(GUARD,
                                "guard verdict #" + verdictId + ": " + explain(evidence) + "; " + v.summary(),
                                Optional.empty(), Optional.of("guard-verdict-" + verdictId)))
                        .doOnNext(o -> LOG.warn("guard rolled back {}: {}", flag, finalAction))
                        .then()).orElse(Mono.empty())));
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
