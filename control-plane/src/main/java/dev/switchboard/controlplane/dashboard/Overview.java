package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.alerts.AlertView;
import dev.switchboard.controlplane.flags.FlagState;
import java.util.List;
import java.util.Optional;

/** Everything the rollout overview shows for one flag, computed once per render. */
record Overview(FlagState flag, long totalTenants, long onV2, String stage, String nextStage, Card v1, Card v2,
                List<String> goFailing, boolean metricsInstalled, List<SvgChart> charts, Optional<List<AlertView>> alerts,
                RouterSummary routers) {

    /** Why raising the percentage is refused right now, if it is (the server checks the same rule). */
    public Optional<String> raiseBlocked() {
        return goFailing.isEmpty() ? Optional.empty()
                : Optional.of("v2 fails the go criteria: " + String.join("; ", goFailing));
    }

    public String raiseBlockedText() {
        return raiseBlocked().orElse("");
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

    record RouterRow(String routerId, String version, String lastSeen, String revision, boolean current,
                     boolean stale) {
    }
}
