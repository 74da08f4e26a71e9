package dev.switchboard.controlplane.stages;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.errors.Refused;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.ChangeOutcome;
import dev.switchboard.controlplane.flags.FlagChanges;
import dev.switchboard.controlplane.flags.FlagCommand;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.flags.FlagStore;
import dev.switchboard.controlplane.guard.GuardProperties;
import dev.switchboard.controlplane.guard.GuardService;
import dev.switchboard.controlplane.guard.GuardStore;
import dev.switchboard.controlplane.guard.Thresholds;
import dev.switchboard.controlplane.metrics.Comparison;
import dev.switchboard.controlplane.metrics.MetricsClock;
import dev.switchboard.controlplane.metrics.StoredComparisons;
import dev.switchboard.controlplane.metrics.VariantStats;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import dev.switchboard.controlplane.tenants.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The stage plan in motion: where a flag stands, whether its go criteria hold over the current stage's
 * window, and moving it to the next stage (through {@link FlagChanges}, so with the same locking, audit,
 * snapshot and notification as every other change). Each stage change posts a Slack status update.
 */
@Service
public class StageAdvance {

    /** A flag's plan as the API shows it. */
    public record PlanView(String flag, List<StageView> stages, String current, Optional<String> next,
                           int percentage, Instant stageEnteredAt, long bakeRemainingSeconds, boolean go,
                           List<Criterion> criteria, boolean autoAdvance) {
    }

    public record StageView(String name, int percentage, long minBakeSeconds) {
    }

    /** The result of an advance. */
    public record Advanced(String flag, String from, String to, int percentage, boolean forced,
                           List<Criterion> criteria, FlagState state) {
    }

    private final FlagStore flags;
    private final FlagChanges changes;
    private final StoredComparisons comparisons;
    private final GuardStore guardStore;
    private final GuardService guard;
    private final AlertStore alerts;
    private final AuditLog audit;
    private final TenantStore tenants;
    private final StageProperties properties;
    private final GuardProperties guardProperties;
    private final MetricsClock clock;
    private final TransactionalOperator tx;

    StageAdvance(FlagStore flags, FlagChanges changes, StoredComparisons comparisons, GuardStore guardStore,
                 GuardService guard, AlertStore alerts, AuditLog audit, TenantStore tenants, StageProperties properties,
                 GuardProperties guardProperties, MetricsClock clock, TransactionalOperator tx) {
        this.flags = flags;
        this.changes = changes;
        this.comparisons = comparisons;
        this.guardStore = guardStore;
        this.guard = guard;
        this.alerts = alerts;
        this.audit = audit;
        this.tenants = tenants;
        this.properties = properties;
        this.guardProperties = guardProperties;
        this.clock = clock;
        this.tx = tx;
    }

    public Mono<PlanView> plan(String flag) {
        return flags.find(flag).switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)))
                .flatMap(state -> guardStore.find(flag).flatMap(g -> enteredAt(state)
                        .flatMap(entered -> criteria(state, guard.thresholdsFor(g), entered).map(criteria -> {
                            int index = indexOf(state.percentage());
                            Duration bake = properties.bakeOf(index);
                            long remaining = Math.max(0, bake.minus(Duration.between(entered, clock.now())).toSeconds());
                            List<StageView> stages = new ArrayList<>();
                            for (int i = 0; i < StagePlan.DEFAULT.stages().size(); i++) {
                                StagePlan.Stage s = StagePlan.DEFAULT.stages().get(i);
                                stages.add(new StageView(s.name(), s.percentage(), properties.bakeOf(i).toSeconds()));
                            }
                            return new PlanView(flag, stages, StagePlan.DEFAULT.current(state.percentage()).name(),
                                    StagePlan.DEFAULT.next(state.percentage()).map(StagePlan.Stage::name),
                                    state.percentage(), entered, remaining,
                                    criteria.stream().allMatch(Criterion::passed), criteria, g.autoAdvance());
                        }))));
    }

    public Mono<Advanced> advance(String flag, String reason, boolean force, Caller caller, Optional<String> requestId) {
        if (force && !caller.atLeast(Role.ADMIN)) {
            return Mono.error(new NotPermitted("a forced advance needs the admin role; you are "
                    + caller.role().wireName()));
        }
        return flags.find(flag).switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)))
                .flatMap(state -> {
                    Optional<StagePlan.Stage> next = StagePlan.DEFAULT.next(state.percentage());
                    if (next.isEmpty()) {
                        return Mono.error(new Refused("flag " + flag + " is already at the last stage ("
                                + state.percentage() + "%)", Map.of("criteria", List.of())));
                    }
                    return guardStore.find(flag).flatMap(g -> enteredAt(state)
                            .flatMap(entered -> criteria(state, guard.thresholdsFor(g), entered))
                            .flatMap(criteria -> {
                                List<Criterion> failing = criteria.stream().filter(c -> !c.passed()).toList();
                                if (!failing.isEmpty() && !force) {
                                    return Mono.error(new Refused("go criteria do not hold for advancing " + flag
                                            + " from " + StagePlan.DEFAULT.current(state.percentage()).name() + " to "
                                            + next.get().name() + ": " + String.join(", ",
                                            failing.stream().map(Criterion::name).toList()),
                                            Map.of("criteria", criteria)));
                                }
                                return move(state, next.get(), reason, force && !failing.isEmpty(), criteria, caller,
                                        requestId);
                            }));
                });
    }

    private Mono<Advanced> move(FlagState before, StagePlan.Stage next, String reason, boolean forced,
                                List<Criterion> criteria, Caller caller, Optional<String> requestId) {
        String from = StagePlan.DEFAULT.current(before.percentage()).name();
        String why = (forced ? "forced advance: " : "advance: ") + reason;
        Mono<Advanced> work = changes.apply(before.name(), new FlagCommand.SetPercentage(next.percentage()),
                        new ChangeContext(caller, why, Optional.of(before.revision()), requestId))
                .flatMap((ChangeOutcome outcome) -> {
                    Instant now = clock.now();
                    Mono<Void> forcedAudit = forced ? audit.append(AuditEvent.of(caller, "stage.advance.forced",
                            before.name(), null, Map.of("stage", from, "percentage", before.percentage()),
                            Map.of("stage", next.name(), "percentage", next.percentage(), "failingCriteria",
                                    criteria.stream().filter(c -> !c.passed()).toList()),
                            reason, requestId.orElse(null))).then() : Mono.empty();
                    return forcedAudit
                            .then(guardStore.enterStage(before.name(), next.percentage(), now))
                            .then(statusUpdate(outcome.flag(), criteria, caller, forced))
                            .thenReturn(new Advanced(before.name(), from, next.name(), next.percentage(), forced,
                                    criteria, outcome.flag()));
                });
        return guardStore.ensure(before.name()).then(work).as(tx::transactional);
    }

    /** The "Rollout Status Update" for Slack, queued in the same transaction as the change. */
    private Mono<Void> statusUpdate(FlagState after, List<Criterion> criteria, Caller caller, boolean forced) {
        double errorRate = value(criteria, "error-rate");
        double p95 = value(criteria, "p95-latency");
        long samples = criteria.stream().filter(c -> c.name().equals("samples")).mapToLong(c -> (long) c.value())
                .findFirst().orElse(0);
        Thresholds t = guardProperties.thresholds().toThresholds();
        String next = StagePlan.DEFAULT.next(after.percentage())
                .map(s -> "Expand to " + s.percentage() + "% (" + s.name() + ") after "
                        + human(properties.bakeOf(indexOf(after.percentage()))) + " if metrics stable")
                .orElse("Rollout complete: remove the flag once v1 is retired");
        return tenants.count().flatMap(total -> {
            int onV2 = (int) Math.round(total * after.percentage() / 100.0) + after.allowTenants().size();
            Map<String, Object> payload = AlertMessages.slackStatus(after.name(),
                    StagePlan.DEFAULT.current(after.percentage()).name() + (forced ? " (forced)" : ""),
                    after.percentage(), (int) Math.min(onV2, total), total.intValue(), errorRate,
                    t.errorRateWarningPercent() / 100, p95, t.p95WarningMs(), samples, next, caller.name(),
                    guardProperties.dashboardUrl().replaceAll("/+$", "") + "/flags/" + after.name());
            return alerts.enqueue(null, after.name(), "slack", "status", "status/" + after.name() + "/" + after.revision(),
                    payload, false);
        });
    }

    private Mono<Instant> enteredAt(FlagState state) {
        return guardStore.stage(state.name())
                .map(mark -> mark.percentage().filter(p -> p == state.percentage()).flatMap(p -> mark.enteredAt()))
                .map(found -> found.orElse(state.updatedAt().toInstant()))
                .defaultIfEmpty(state.updatedAt().toInstant());
    }

    /** The go criteria over the current stage's window (since the stage began, at least the guard's window). */
    Mono<List<Criterion>> criteria(FlagState state, Thresholds t, Instant entered) {
        Instant now = clock.now();
        Duration inStage = Duration.between(entered, now);
        Duration window = inStage.compareTo(guardProperties.window()) < 0 ? guardProperties.window()
                : inStage.compareTo(Duration.ofDays(7)) > 0 ? Duration.ofDays(7) : inStage;
        Duration bake = properties.bakeOf(indexOf(state.percentage()));
        return Mono.zip(comparisons.compare(state.name(), window, now),
                        comparisons.compare(state.name(), Duration.ofHours(1), now),
                        alerts.hasOpenCritical(state.name()))
                .map(z -> {
                    Comparison c = z.getT1();
                    VariantStats v2 = c.v2();
                    long n = v2.requests();
                    List<Criterion> out = new ArrayList<>();
                    out.add(new Criterion("bake-time", inStage.toSeconds(), bake.toSeconds(), 0,
                            inStage.compareTo(bake) >= 0, "time in stage >= minimum bake time (s)"));
                    out.add(new Criterion("samples", n, t.minV2Requests(), n, n >= t.minV2Requests(),
                            "v2 requests in the stage window >= minimum"));
                    out.add(new Criterion("error-rate", v2.errorRate(), t.errorRateWarningPercent() / 100, n,
                            n > 0 && v2.errorRate() < t.errorRateWarningPercent() / 100, "v2 error rate < go threshold"));
                    out.add(new Criterion("p95-latency", v2.p95LatencyMs(), t.p95WarningMs(), n,
                            n > 0 && v2.p95LatencyMs() < t.p95WarningMs(), "v2 p95 latency (ms) < go threshold"));
                    out.add(new Criterion("failed-calls", v2.failedCallsRate(), t.failedCallsGoPercent() / 100,
                            v2.calls(), v2.failedCallsRate() < t.failedCallsGoPercent() / 100,
                            "v2 failed calls < go threshold"));
                    long opens = z.getT2().v2().circuitBreakerOpens();
                    out.add(new Criterion("circuit-breaker-opens", opens, 0, n, opens == 0,
                            "no v2 circuit-breaker opens in the last hour"));
                    out.add(new Criterion("open-critical-alerts", z.getT3() ? 1 : 0, 0, 0, !z.getT3(),
                            "no unacknowledged critical guard alert"));
                    if (state.percentage() == 0) {
                        int canary = state.allowTenants().size();
                        out.add(new Criterion("canary-tenants", canary, properties.minCanaryTenants(), 0,
                                canary >= properties.minCanaryTenants(), "hand-picked tenants on the allow list"));
                    }
                    return out;
                });
    }

    private static double value(List<Criterion> criteria, String name) {
        return criteria.stream().filter(c -> c.name().equals(name)).mapToDouble(Criterion::value).findFirst().orElse(0);
    }

    private static int indexOf(int percentage) {
        return StagePlan.DEFAULT.stages().indexOf(StagePlan.DEFAULT.current(percentage));
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 && s % 3600 == 0 ? s / 3600 + " h" : s >= 60 && s % 60 == 0 ? s / 60 + " min" : s + " s";
    }

}
