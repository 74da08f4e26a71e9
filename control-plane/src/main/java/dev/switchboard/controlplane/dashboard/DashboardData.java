package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.alerts.AlertBoard;
import dev.switchboard.controlplane.alerts.AlertView;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.evaluation.Evaluation;
import dev.switchboard.controlplane.evaluation.FlagEvaluator;
import dev.switchboard.controlplane.evaluation.RolloutRule;
import dev.switchboard.controlplane.evaluation.Variant;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.confirmations.Confirmations;
import dev.switchboard.controlplane.flags.FlagStore;
import dev.switchboard.controlplane.metrics.Comparison;
import dev.switchboard.controlplane.metrics.ComparisonSource;
import dev.switchboard.controlplane.metrics.MinutePoint;
import dev.switchboard.controlplane.metrics.RouterDirectory;
import dev.switchboard.controlplane.metrics.RouterView;
import dev.switchboard.controlplane.metrics.VariantStats;
import dev.switchboard.controlplane.stages.StageAdvance;
import dev.switchboard.controlplane.tenants.Tenant;
import dev.switchboard.controlplane.tenants.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Reads what the dashboard shows. Metrics, alerts and routers come from the guard's implementations of the
 * read interfaces when they are installed; until then (or if one fails) the panels say so instead of failing
 * the page. Tenants on v2 are counted with the same {@link FlagEvaluator} as explain, over every registered
 * tenant, so the number on the progress bar and an explain of any tenant never disagree.
 */
@Service
class DashboardData {

    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration CHART_SPAN = Duration.ofHours(1);
    /**
     * How long a computed stage plan is shown before it is recomputed. The plan's go criteria read the whole time
     * the flag has been in its stage (up to 7 days of windows), which costs far more than the rest of the page; a
     * few seconds old is as good for a person deciding, and the advance itself re-checks live in the guard.
     */
    static final Duration PLAN_FRESH = Duration.ofSeconds(5);
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(DashboardData.class);
    private static final String NOT_INSTALLED = "no metrics yet: the guard's metric source is not installed";

    private final FlagStore flags;
    private final TenantStore tenants;
    private final ObjectProvider<ComparisonSource> comparisons;
    private final ObjectProvider<AlertBoard> alerts;
    private final ObjectProvider<RouterDirectory> routers;
    private final StageAdvance stages;
    private final dev.switchboard.controlplane.unleash.ClientRegistry sdks;
    private final java.util.Map<String, long[]> counts = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, PlanEntry> plans = new java.util.concurrent.ConcurrentHashMap<>();

    private final Confirmations confirmations;

    DashboardData(FlagStore flags, TenantStore tenants, ObjectProvider<ComparisonSource> comparisons,
                  ObjectProvider<AlertBoard> alerts, ObjectProvider<RouterDirectory> routers, StageAdvance stages,
                  dev.switchboard.controlplane.unleash.ClientRegistry sdks, Confirmations confirmations) {
        this.sdks = sdks;
        this.confirmations = confirmations;
        this.stages = stages;
        this.flags = flags;
        this.tenants = tenants;
        this.comparisons = comparisons;
        this.alerts = alerts;
        this.routers = routers;
    }

    Mono<FlagState> flag(String name) {
        return flags.find(name).switchIfEmpty(Mono.error(() -> new NotFound("flag", name)));
    }

    Mono<List<FlagState>> allFlags() {
        return flags.findAll().collectList();
    }

    Optional<AlertBoard> alertBoard() {
        return Optional.ofNullable(alerts.getIfAvailable());
    }

    Mono<Overview> overview(String name) {
        return flag(name).flatMap(flag -> Mono.zip(count(flag.rule()), comparison(name), charts(name),
                        activeAlerts(name), routerSummary(flag), plan(flag), confirmations.of(flag).map(ConfirmationLine::of))
                .map(t -> {
                    long[] counts = t.getT1();
                    Optional<Comparison> comparison = t.getT2();
                    boolean installed = comparisons.getIfAvailable() != null;
                    String empty = installed ? "no metrics for this window yet" : NOT_INSTALLED;
                    Overview.Card v1 = card("V1 (current agent)", "v1", comparison.map(Comparison::v1), empty);
                    Overview.Card v2 = card("V2 (new agent)", "v2", comparison.map(Comparison::v2), empty);
                    List<String> failing = comparison.map(c -> GoNoGo.failing(c.v2())).orElse(List.of());
                    return new Overview(flag, counts[0], counts[1], flag.stage(), t.getT6(), v1, v2, failing,
                            installed, t.getT3(), t.getT4(), t.getT5(), t.getT7());
                }));
    }

    /**
     * [total tenants, tenants on v2] with the explain evaluation. Re-counting 10,000 tenants on every poll is
     * the page's main cost, so the last count is kept and reused while the flag revision and the tenant
     * registry's fingerprint (row count and latest change) are unchanged: the number stays exact.
     */
    Mono<long[]> count(RolloutRule rule) {
        return tenants.fingerprint().flatMap(print -> {
            String key = rule.flag() + "@" + rule.revision() + "#" + print;
            long[] cached = counts.get(key);
            return cached != null ? Mono.just(cached) : recount(rule).doOnNext(c -> {
                counts.keySet().removeIf(k -> k.startsWith(rule.flag() + "@"));
                counts.put(key, c);
            });
        });
    }

    private Mono<long[]> recount(RolloutRule rule) {
        return tenants.allIds().reduce(new long[2], (acc, id) -> {
            acc[0]++;
            if (FlagEvaluator.evaluate(rule, id).variant() == Variant.V2) {
                acc[1]++;
            }
            return acc;
        });
    }

    /** The criteria v2 fails now (empty when it passes or when there are no metrics to judge). */
    Mono<List<String>> goFailing(String flag) {
        return comparison(flag).map(c -> c.map(x -> GoNoGo.failing(x.v2())).orElse(List.of()));
    }

    /**
     * The guard's stage plan (the same one {@code GET /api/v1/flags/{flag}/plan} answers): current and next stage,
     * bake time left and each go criterion of advancing. Empty, with the page saying so, if it cannot be read.
     */
    Mono<Optional<Overview.Plan>> plan(FlagState flag) {
        String key = flag.name() + "@" + flag.revision();
        PlanEntry cached = plans.get(key);
        if (cached != null) {
            if (Duration.between(cached.at(), Instant.now()).compareTo(PLAN_FRESH) > 0
                    && cached.refreshing().compareAndSet(false, true)) {
                // stale: this request still gets the previous plan; the next ones get the new one
                computePlan(flag, key).subscribe(p -> { }, e -> cached.refreshing().set(false));
            }
            return Mono.just(cached.plan());
        }
        return computePlan(flag, key);
    }

    private Mono<Optional<Overview.Plan>> computePlan(FlagState flag, String key) {
        return stages.plan(flag.name()).map(p -> Optional.of(Overview.Plan.of(p)))
                .doOnNext(p -> {
                    plans.keySet().removeIf(k -> k.startsWith(flag.name() + "@"));
                    plans.put(key, new PlanEntry(p, Instant.now(), new java.util.concurrent.atomic.AtomicBoolean()));
                })
                .onErrorResume(e -> unavailable("stage plan", e, Optional.empty()));
    }

    /** A computed plan, when it was computed, and whether a refresh is under way. */
    private record PlanEntry(Optional<Overview.Plan> plan, Instant at,
                             java.util.concurrent.atomic.AtomicBoolean refreshing) {
    }

    private static Overview.Card card(String title, String variant, Optional<VariantStats> stats, String empty) {
        return new Overview.Card(title, variant, stats.map(GoNoGo::lines).orElse(List.of()), empty);
    }

    private Mono<Optional<Comparison>> comparison(String flag) {
        ComparisonSource source = comparisons.getIfAvailable();
        if (source == null) {
            return Mono.just(Optional.empty());
        }
        return source.compare(flag, WINDOW).map(Optional::of).defaultIfEmpty(Optional.empty())
                .onErrorResume(e -> unavailable("comparison", e, Optional.empty()));
    }

    Mono<Optional<Comparison>> tenantComparison(String flag, String tenant) {
        ComparisonSource source = comparisons.getIfAvailable();
        if (source == null) {
            return Mono.just(Optional.empty());
        }
        return source.compareTenant(flag, tenant, WINDOW).map(Optional::of).defaultIfEmpty(Optional.empty())
                .onErrorResume(e -> unavailable("tenant comparison", e, Optional.empty()));
    }

    private Mono<List<SvgChart>> charts(String flag) {
        ComparisonSource source = comparisons.getIfAvailable();
        Mono<List<MinutePoint>> points = source == null ? Mono.just(List.of())
                : source.perMinute(flag, CHART_SPAN).defaultIfEmpty(List.of())
                .onErrorResume(e -> unavailable("per-minute points", e, List.of()));
        Instant now = Instant.now();
        return points.map(p -> List.of(
                SvgChart.of("Error rate", "%", p, now, CHART_SPAN, MinutePoint::errorRate, new double[] {0.02, 0.05}, true),
                SvgChart.of("p95 latency", "ms", p, now, CHART_SPAN, MinutePoint::p95LatencyMs, new double[] {800, 1200}, false)));
    }

    private Mono<Optional<List<AlertView>>> activeAlerts(String flag) {
        AlertBoard board = alerts.getIfAvailable();
        if (board == null) {
            return Mono.just(Optional.empty());
        }
        return board.active(Optional.of(flag)).collectList().map(Optional::of)
                .onErrorResume(e -> unavailable("alerts", e, Optional.empty()));
    }

    /** One SDK instance on the routers page: who it is, when last heard from, its yes/no for the flag over 1 h. */
    record SdkRow(String app, String instance, String sdkVersion, String lastSeen, long yes, long no,
                  String lastReported) {
    }

    /** The SDK instances that talk to the Unleash client API (routers and any other SDK), newest first. */
    Mono<List<SdkRow>> sdkInstances(FlagState flag) {
        return sdks.instances(flag.name(), 200)
                .map(i -> new SdkRow(i.appName(), i.instanceId(), i.sdkVersion() == null ? "" : i.sdkVersion(),
                        TIME.format(i.lastSeen()), i.yes(), i.no(),
                        i.lastReported().map(TIME::format).orElse("not in the last hour")))
                .collectList()
                .onErrorResume(e -> unavailable("sdk instances", e, List.of()));
    }

    Mono<Overview.RouterSummary> routerSummary(FlagState flag) {
        RouterDirectory directory = routers.getIfAvailable();
        if (directory == null) {
            return Mono.just(new Overview.RouterSummary(false, 0, 0, List.of()));
        }
        return directory.routers().collectList().map(list -> {
            List<Overview.RouterRow> rows = list.stream().map(r -> row(r, flag)).toList();
            long live = rows.stream().filter(r -> !r.stale()).count();
            // blind routers (live, windows not arriving) are listed, and counted as not holding anything we can see
            long holding = rows.stream().filter(r -> !r.stale() && r.current()).count();
            return new Overview.RouterSummary(true, holding, live, rows);
        }).onErrorResume(e -> unavailable("routers", e, new Overview.RouterSummary(false, 0, 0, List.of())));
    }

    private static Overview.RouterRow row(RouterView r, FlagState flag) {
        Long held = r.flagRevisions().get(flag.name());
        return new Overview.RouterRow(r.routerId(), r.version(), r.lastSeen() == null ? "never" : TIME.format(r.lastSeen()),
                held == null ? "none" : String.valueOf(held), held != null && held >= flag.revision(),
                Overview.RouterRow.flagState(r.flagStateAgeSeconds()),
                r.flagStateAgeSeconds() == null || r.flagStateAgeSeconds() > 0, r.stale(), r.blind());
    }

    /** Tenants matching a search, each with its decision and, when metrics exist, its own numbers. */
    Mono<List<TenantRow>> explore(FlagState flag, String query) {
        RolloutRule rule = flag.rule();
        return tenants.search(Optional.of(query), 20, 0)
                .concatMap(t -> tenantComparison(flag.name(), t.id()).map(c -> TenantRow.of(t,
                        FlagEvaluator.evaluate(rule, t.id()), c)))
                .collectList();
    }

    record TenantRow(Tenant tenant, Evaluation evaluation, String why, List<GoNoGo.Line> v1, List<GoNoGo.Line> v2,
                     boolean denied) {
        static TenantRow of(Tenant tenant, Evaluation e, Optional<Comparison> comparison) {
            return new TenantRow(tenant, e, DashboardData.why(e), comparison.map(c -> GoNoGo.lines(c.v1())).orElse(List.of()),
                    comparison.map(c -> GoNoGo.lines(c.v2())).orElse(List.of()),
                    e.reason() == dev.switchboard.controlplane.evaluation.Reason.DENIED);
        }

        public String variant() {
            return evaluation.variant().wireName();
        }

        public List<Side> sides() {
            return List.of(new Side("v1", v1), new Side("v2", v2));
        }
    }

    record Side(String name, List<GoNoGo.Line> lines) {
    }

    static String why(Evaluation e) {
        return switch (e.reason()) {
            case DISABLED -> "the flag is switched off, so every tenant is on v1";
            case DENIED -> "on the deny list (deny always wins)";
            case ALLOWED -> "on the allow list";
            case BUCKET -> "bucket " + e.bucket() + (e.variant() == Variant.V2 ? " ≤ " : " > ") + e.percentage()
                    + "% rollout";
        };
    }

    private static <T> Mono<T> unavailable(String what, Throwable e, T fallback) {
        LOG.warn("dashboard: {} unavailable: {}", what, e.toString());
        return Mono.just(fallback);
    }
}
