package dev.switchboard.controlplane.guard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of the analysis between evaluations, for the flag as a whole and for each tenant it has judged:
 * streaks of breaching and healthy evaluations and what is currently alerted. Stored as JSON with the flag so
 * that a restart or another replica carries on where the last evaluation stopped.
 */
public record GuardState(Track flag, Map<String, Track> tenants, List<String> blindRouters) {

    public static final GuardState INITIAL = new GuardState(Track.QUIET, Map.of());

    public GuardState {
        flag = flag == null ? Track.QUIET : flag;
        tenants = tenants == null ? Map.of() : Map.copyOf(new TreeMap<>(tenants));
        blindRouters = blindRouters == null ? List.of() : List.copyOf(blindRouters);
    }

    public GuardState(Track flag, Map<String, Track> tenants) {
        this(flag, tenants, List.of());
    }

    /** The same state, knowing which routers were blind at this evaluation. */
    public GuardState withBlindRouters(List<String> routers) {
        return new GuardState(flag, tenants, routers);
    }

    /**
     * @param breachStreak   consecutive evaluations at warning or worse
     * @param criticalStreak consecutive evaluations at critical
     * @param healthyStreak  consecutive healthy evaluations
     * @param open           the worst alert currently open for this scope ({@code OK} when none)
     * @param openRules      rules of the open alerts, so a recovery resolves exactly those
     * @param mitigated      an alert of this scope was mitigated (rolled back) and is not resolved yet: the scope is
     *                       armed again (a new breach is a new episode) and resolves after the resolve period healthy
     * @param healthySince   start of the current run of healthy evaluations (null while not healthy)
     * @param armedAt        data from before this instant is not judged for this scope (the last rollback)
     */
    public record Track(int breachStreak, int criticalStreak, int healthyStreak, Severity open, List<String> openRules,
                        boolean mitigated, Instant healthySince, Instant armedAt) {

        public static final Track QUIET = new Track(0, 0, 0, Severity.OK, List.of());

        public Track {
            open = open == null ? Severity.OK : open;
            openRules = openRules == null ? List.of() : List.copyOf(openRules);
        }

        public Track(int breachStreak, int criticalStreak, int healthyStreak, Severity open, List<String> openRules) {
            this(breachStreak, criticalStreak, healthyStreak, open, openRules, false, null, null);
        }

        /** The same scope with new streaks and alert state; mitigation and arming carry over. */
        public Track next(int breach, int critical, int healthy, Severity openNow, List<String> rules) {
            return new Track(breach, critical, healthy, openNow, rules, mitigated, healthySince, armedAt);
        }

        public Track withHealthySince(Instant since) {
            return new Track(breachStreak, criticalStreak, healthyStreak, open, openRules, mitigated, since, armedAt);
        }

        public Track withMitigated(boolean value) {
            return new Track(breachStreak, criticalStreak, healthyStreak, open, openRules, value, healthySince, armedAt);
        }

        /** After a rollback: nothing open, streaks cleared, armed for a new episode from {@code at}. */
        public static Track rearmed(Instant at) {
            return new Track(0, 0, 0, Severity.OK, List.of(), true, null, at);
        }

        public boolean quiet() {
            return breachStreak == 0 && criticalStreak == 0 && open == Severity.OK && !mitigated;
        }
    }
}
