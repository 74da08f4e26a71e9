package dev.switchboard.controlplane.guard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The guard's decision, as a pure function: (state, numbers, time) → (new state, verdict). No Spring, no I/O,
 * no clock of its own, so it can be tested table by table and run over a simulated day in a second.
 *
 * <p>Evidence first: with fewer than the minimum v2 requests the verdict is "insufficient data — hold" and
 * nothing moves. An alert needs K consecutive breaching evaluations (critical needs K critical ones), and a
 * recovery M consecutive healthy ones, so a single bad window never alerts and nothing flaps. When the
 * aggregate is not critical but a few tenants are, those tenants are named (and handled) alone.
 */
public final class Analyzer {

    public record Outcome(GuardState state, Verdict verdict) {
    }

    /** Default time a re-enabled scope must stay healthy before its mitigated episode is resolved. */
    public static final java.time.Duration DEFAULT_RESOLVE_PERIOD = java.time.Duration.ofMinutes(5);

    private final Thresholds thresholds;
    private final Rules rules;
    private final java.time.Duration resolvePeriod;

    public Analyzer(Thresholds thresholds) {
        this(thresholds, DEFAULT_RESOLVE_PERIOD);
    }

    public Analyzer(Thresholds thresholds, java.time.Duration resolvePeriod) {
        this.thresholds = thresholds.validated();
        this.rules = new Rules(thresholds);
        this.resolvePeriod = resolvePeriod;
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public Outcome step(GuardState state, GuardInput in, Instant now) {
        List<Finding> findings = new ArrayList<>(rules.evaluate("flag", in.slidingLabel(), in.v1(), in.v2(),
                in.recentLabel(), in.recentV1(), in.recentV2(), in.confirmLabel(), in.confirmV1(), in.confirmV2(),
                in.v2CircuitOpensLastHour(), in.v1()));
        findings.addAll(in.sequential());
        boolean sufficient = in.v2().requests() >= thresholds.minV2Requests()
                || (in.recentV2() != null && in.recentV2().requests() >= thresholds.minV2Requests())
                || in.sequential().stream().anyMatch(f -> f.sampleSize() >= thresholds.minV2Requests());
        Severity flagLevel = worst(findings);

        Map<String, List<Finding>> tenantFindings = new LinkedHashMap<>();
        TreeSet<String> criticalTenants = new TreeSet<>();
        in.tenants().forEach((tenant, pair) -> {
            if (pair.v2().requests() < thresholds.minV2Requests()) {
                return;
            }
            List<Finding> f = rules.evaluate(tenant, in.slidingLabel(), pair.v1(), pair.v2(), null, null, null, null,
                    null, null, null, in.v1());
            tenantFindings.put(tenant, f);
            if (worst(f) == Severity.CRITICAL) {
                criticalTenants.add(tenant);
            }
        });
        if (sufficient && flagLevel != Severity.CRITICAL && criticalTenants.size() > thresholds.maxAttributedTenants()) {
            findings.add(new Finding(Rules.WIDESPREAD, Severity.CRITICAL, "flag", in.slidingLabel(),
                    criticalTenants.size(), thresholds.maxAttributedTenants(), null, in.v2().requests(), null,
                    criticalTenants.size() + " tenants are critical on v2 (" + String.join(", ", first(criticalTenants, 5))
                            + "), more than the " + thresholds.maxAttributedTenants() + " that can be rolled back alone"));
            flagLevel = Severity.CRITICAL;
        }

        List<Transition> transitions = new ArrayList<>();
        GuardState.Track flagTrack = state.flag();
        boolean pending = flagLevel != Severity.CRITICAL && rules.criticalErrorRateSuspected(in.recentV2());
        if (sufficient) {
            flagTrack = advance(flagTrack, flagLevel, pending, Optional.empty(), findings, transitions, now);
        }

        Map<String, GuardState.Track> tenants = new LinkedHashMap<>(state.tenants());
        List<String> attributed = new ArrayList<>();
        if (sufficient && flagLevel != Severity.CRITICAL) {
            for (String tenant : criticalTenants) {
                GuardState.Track before = tenants.getOrDefault(tenant, GuardState.Track.QUIET);
                GuardState.Track after = advance(before, Severity.CRITICAL, false, Optional.of(tenant),
                        tenantFindings.get(tenant), transitions, now);
                tenants.put(tenant, after);
                attributed.add(tenant);
            }
        }
        // tenants judged healthy now count towards their recovery; tenants without data hold
        for (Map.Entry<String, List<Finding>> e : tenantFindings.entrySet()) {
            if (!criticalTenants.contains(e.getKey()) && tenants.containsKey(e.getKey())) {
                tenants.put(e.getKey(), advance(tenants.get(e.getKey()), Severity.OK, false, Optional.of(e.getKey()),
                        e.getValue(), transitions, now));
            }
        }
        tenants.values().removeIf(t -> t.quiet() && t.healthyStreak() >= thresholds.healthyForRecovery());
        List<Finding> allFindings = new ArrayList<>(findings);
        for (String tenant : criticalTenants) {
            tenantFindings.get(tenant).stream().filter(Finding::breaching).forEach(allFindings::add);
        }

        String status;
        String scope = "flag";
        String summary;
        if (!sufficient) {
            status = Verdict.INSUFFICIENT;
            summary = "insufficient data — hold: " + in.v2().requests() + " v2 requests in " + in.slidingLabel()
                    + ", at least " + thresholds.minV2Requests() + " needed to judge";
        } else if (flagLevel == Severity.OK && !attributed.isEmpty()) {
            status = Severity.CRITICAL.wireName();
            scope = "tenants";
            summary = "v2 is critical for " + String.join(", ", attributed) + " only; the flag as a whole is healthy";
        } else {
            // a pending evaluation keeps the status of its confident findings (often healthy: at 5 req/s one 50-request
            // window in 70 is above 5 % by chance); the summary says what the streak is waiting for
            status = flagLevel == Severity.OK ? "healthy" : flagLevel.wireName();
            if (!attributed.isEmpty()) {
                scope = "tenants";
            }
            List<String> parts = new ArrayList<>(findings.stream().filter(Finding::breaching).sorted(BY_SEVERITY)
                    .map(Finding::message).toList());
            if (pending) {
                parts.add("v2 error rate " + Rules.pct(in.recentV2().errorRate()) + " over " + in.recentLabel()
                        + " is above the critical " + Rules.pct(thresholds.errorRateCriticalPercent() / 100)
                        + " without the confidence to call it critical yet (critical streak "
                        + flagTrack.criticalStreak() + " of " + thresholds.breachesForAlert()
                        + "; the alert waits for a confident finding)");
            }
            summary = parts.isEmpty() ? "v2 healthy against every rule"
                    : flagLevel == Severity.OK ? "no rule breached with confidence; " + String.join("; ", parts)
                    : String.join("; ", parts);
            if (!attributed.isEmpty()) {
                summary += "; critical tenants: " + String.join(", ", attributed);
            }
        }
        GuardState next = new GuardState(flagTrack, tenants);
        return new Outcome(next, new Verdict(now, status, scope, attributed, summary, allFindings, transitions));
    }

    private static final Comparator<Finding> BY_SEVERITY = Comparator.comparing(Finding::severity).reversed();

    /**
     * @param pending the evaluation is not critical, but the latest window is above the critical error rate
     *                without the confidence to say so: it counts towards the critical streak (and against
     *                recovery) but raises nothing by itself, so a sustained breach is not held back by one
     *                inconclusive window and a critical alert still needs a confident finding
     */
    private GuardState.Track advance(GuardState.Track t, Severity level, boolean pending, Optional<String> tenant,
                                     List<Finding> findings, List<Transition> transitions, Instant now) {
        // a sequential test's alarm already is the accumulated evidence of many windows: it needs no streak
        int k = findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL && f.rule().endsWith(Rules.SEQUENTIAL))
                ? 1 : thresholds.breachesForAlert();
        if (level == Severity.CRITICAL) {
            GuardState.Track n = t.next(t.breachStreak() + 1, t.criticalStreak() + 1, 0, t.open(), t.openRules())
                    .withHealthySince(null);
            if (n.criticalStreak() >= k && t.open() != Severity.CRITICAL) {
                return raise(n, Severity.CRITICAL, tenant, findings, transitions);
            }
            return n;
        }
        if (level == Severity.WARNING) {
            GuardState.Track n = t.next(t.breachStreak() + 1, pending ? t.criticalStreak() + 1 : 0, 0,
                    t.open(), t.openRules()).withHealthySince(null);
            if (n.breachStreak() >= k && t.open() == Severity.OK) {
                return raise(n, Severity.WARNING, tenant, findings, transitions);
            }
            return n;
        }
        if (pending) {
            return t.next(0, t.criticalStreak() + 1, 0, t.open(), t.openRules()).withHealthySince(null);
        }
        GuardState.Track n = t.next(0, 0, t.healthyStreak() + 1, t.open(), t.openRules())
                .withHealthySince(t.healthySince() == null ? now : t.healthySince());
        if (n.healthyStreak() >= thresholds.healthyForRecovery() && t.open() != Severity.OK) {
            transitions.add(new Transition(Transition.Kind.RESOLVE, t.open(), tenant, t.openRules(), Optional.empty()));
            n = n.next(0, 0, n.healthyStreak(), Severity.OK, List.of());
        }
        if (n.mitigated() && !n.healthySince().plus(resolvePeriod).isAfter(now)) {
            // the rolled-back episode: healthy again for the resolve period since the scope was re-enabled
            transitions.add(new Transition(Transition.Kind.RESOLVE, Severity.CRITICAL, tenant, List.of("mitigated"),
                    Optional.empty()));
            n = n.withMitigated(false);
        }
        return n;
    }

    private static GuardState.Track raise(GuardState.Track n, Severity severity, Optional<String> tenant,
                                          List<Finding> findings, List<Transition> transitions) {
        Finding primary = findings.stream().filter(f -> f.severity() == severity).findFirst()
                .orElseGet(() -> findings.stream().filter(Finding::breaching).findFirst().orElseThrow());
        transitions.add(new Transition(Transition.Kind.RAISE, severity, tenant, List.of(primary.rule()),
                Optional.of(primary)));
        List<String> rules = new ArrayList<>(n.openRules());
        if (!rules.contains(primary.rule())) {
            rules.add(primary.rule());
        }
        return n.next(n.breachStreak(), n.criticalStreak(), 0, severity, rules);
    }

    private static Severity worst(List<Finding> findings) {
        Severity s = Severity.OK;
        for (Finding f : findings) {
            s = s.max(f.severity());
        }
        return s;
    }

    private static List<String> first(TreeSet<String> set, int n) {
        return set.stream().limit(n).toList();
    }
}
