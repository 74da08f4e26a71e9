package dev.switchboard.controlplane.guard;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of the analysis between evaluations, for the flag as a whole and for each tenant it has judged:
 * streaks of breaching and healthy evaluations and what is currently alerted. Stored as JSON with the flag so
 * that a restart or another replica carries on where the last evaluation stopped.
 */
public record GuardState(Track flag, Map<String, Track> tenants) {

    public static final GuardState INITIAL = new GuardState(Track.QUIET, Map.of());

    public GuardState {
        flag = flag == null ? Track.QUIET : flag;
        tenants = tenants == null ? Map.of() : Map.copyOf(new TreeMap<>(tenants));
    }

    /**
     * @param breachStreak   consecutive evaluations at warning or worse
     * @param criticalStreak consecutive evaluations at critical
     * @param healthyStreak  consecutive healthy evaluations
     * @param open           the worst alert currently open for this scope ({@code OK} when none)
     * @param openRules      rules of the open alerts, so a recovery resolves exactly those
     */
    public record Track(int breachStreak, int criticalStreak, int healthyStreak, Severity open, List<String> openRules) {

        public static final Track QUIET = new Track(0, 0, 0, Severity.OK, List.of());

        public Track {
            open = open == null ? Severity.OK : open;
            openRules = openRules == null ? List.of() : List.copyOf(openRules);
        }

        public boolean quiet() {
            return breachStreak == 0 && criticalStreak == 0 && open == Severity.OK;
        }
    }
}
