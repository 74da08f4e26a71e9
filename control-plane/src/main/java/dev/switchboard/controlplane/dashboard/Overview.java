package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.alerts.AlertView;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.stages.Criterion;
import dev.switchboard.controlplane.stages.StageAdvance;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Everything the rollout overview shows for one flag, computed once per render. */
record Overview(FlagState flag, long totalTenants, long onV2, String stage, Optional<Plan> plan, Card v1, Card v2,
                List<String> goFailing, boolean metricsInstalled, List<SvgChart> charts, Optional<List<AlertView>> alerts,
                RouterSummary routers, ConfirmationLine confirmation) {

    /** Why raising the percentage is refused right now, if it is (the server checks the same rule). */
    public Optional<String> raiseBlocked() {
        return goFailing.isEmpty() ? Optional.empty()
                : Optional.of("v2 fails the go criteria: " + String.join("; ", goFailing));
    }

    public String raiseBlockedText() {
        return raiseBlocked().orElse("");
    }

    /**
     * The go/no-go verdict above the cards is the verdict of advancing, as the API's advance judges it (the
     * guard's criteria with their sample sizes and the bake time), never a list of its own: the banner and the
     * advance button cannot disagree.
     */
    public boolean verdictGo() {
        return plan.map(Plan::go).orElse(false);
    }

    public String verdictText() {
        if (plan.isEmpty()) {
            return "No verdict: the stage plan cannot be read right now";
        }
        Plan p = plan.get();
        String target = p.hasNext() ? "advancing to " + p.next() + " (" + p.nextPercentage() + "%)" : "the last stage";
        return p.go() ? "Go: v2 meets every criterion of " + target
                : "No-go: " + target + " is refused now: " + p.blockedText();
    }

    public List<Card> cards() {
        return List.of(v1, v2);
    }

    public int plus(int step) {
        return Math.min(100, flag.percentage() + step);
    }

    /** A variant's card: its lines against the thresholds, or why there are none. */
    record Card(String title, String variant, List<GoNoGo.Line> lines, String empty) {
        public boolean hasData() {
            return !lines.isEmpty();
        }
    }

    /** How many routers hold the flag's current revision: "rollback effective on N/M routers". */
    record RouterSummary(boolean installed, long holding, long total, List<RouterRow> rows) {
    }

    /**
     * The guard's plan as the page shows it: the stages with their bake times, where the flag stands, what is
     * left of the current stage's bake time, and each go criterion of advancing with its value, threshold and
     * sample size in words (a failed one also says so in words, not only in colour).
     */
    record Plan(String current, String next, int nextPercentage, String bakeLeft, boolean go, List<CriterionLine> criteria,
                List<StageLine> stages) {

        static Plan of(StageAdvance.PlanView p) {
            int nextPercentage = p.next().flatMap(n -> p.stages().stream().filter(s -> s.name().equals(n)).findFirst())
                    .map(StageAdvance.StageView::percentage).orElse(p.percentage());
            List<StageLine> stages = p.stages().stream().map(s -> new StageLine(s.name(), s.percentage(),
                    duration(s.minBakeSeconds()), s.name().equals(p.current()))).toList();
            return new Plan(p.current(), p.next().orElse(""), nextPercentage, duration(p.bakeRemainingSeconds()), p.go(),
                    p.criteria().stream().map(CriterionLine::of).toList(), stages);
        }

        public boolean hasNext() {
            return !next.isEmpty();
        }

        public List<CriterionLine> failing() {
            return criteria.stream().filter(c -> !c.passed()).toList();
        }

        /** Why advancing is refused right now, in words ("" when it would go). */
        public String blockedText() {
            return failing().stream().map(CriterionLine::text).collect(java.util.stream.Collectors.joining("; "));
        }

        static String duration(long seconds) {
            if (seconds <= 0) {
                return "0 s";
            }
            long h = seconds / 3600;
            long m = seconds % 3600 / 60;
            long s = seconds % 60;
            return h > 0 ? h + " h" + (m > 0 ? " " + m + " min" : "") : m > 0 ? m + " min" + (s > 0 ? " " + s + " s" : "")
                    : s + " s";
        }
    }

    record StageLine(String name, int percentage, String minBake, boolean current) {
    }

    /** One go criterion: {@code value} against {@code threshold} on {@code sample}; passed or failed in words. */
    record CriterionLine(String name, String rule, String value, String threshold, String sample, boolean passed) {

        static CriterionLine of(Criterion c) {
            return new CriterionLine(c.name(), c.rule(), format(c.name(), c.value()), format(c.name(), c.threshold()),
                    c.sampleSize() > 0 ? GoNoGo.count(c.sampleSize()) + " samples" : "", c.passed());
        }

        public String verdict() {
            return passed ? "pass" : "fail";
        }

        public String text() {
            return name + " " + value + " (needs " + rule + ", threshold " + threshold + ")";
        }

        private static String format(String name, double v) {
            return switch (name) {
                case "error-rate", "failed-calls" -> GoNoGo.percent(v);
                case "p95-latency" -> GoNoGo.ms(v);
                case "bake-time" -> Plan.duration((long) v);
                default -> String.format(Locale.ROOT, "%,d", (long) v);
            };
        }
    }

    /**
     * @param flagState  how fresh the flag state the router decides on is, in words ("live", "last known state, 4 min
     *                   old at its last report", "unknown: ...")
     * @param oldState   the router is deciding on a state the control plane has not confirmed lately (or ever)
     */
    record RouterRow(String routerId, String version, String lastSeen, String revision, boolean current,
                     String flagState, boolean oldState, boolean stale, boolean blind) {

        static String flagState(Long ageSeconds) {
            if (ageSeconds == null) {
                return "unknown: never confirmed by the control plane, or not reported";
            }
            return ageSeconds == 0 ? "live" : "last known state, " + Plan.duration(ageSeconds) + " old at its last report";
        }
    }
}
