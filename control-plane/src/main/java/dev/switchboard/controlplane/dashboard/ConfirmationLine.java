package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.confirmations.FlagConfirmation;
import dev.switchboard.controlplane.confirmations.RouterConfirmation;
import java.util.List;
import java.util.Locale;

/**
 * The flag page's answer to "is every router deciding with this change?": "effective on 10/10 routers, 18 ms after
 * the change", or the routers that have not confirmed yet (laggards) and what they still decide with.
 */
record ConfirmationLine(boolean complete, String text, List<String> laggards) {

    static ConfirmationLine of(FlagConfirmation c) {
        if (c.routers() == 0) {
            return new ConfirmationLine(false, "Revision " + c.revision() + ": no live router has confirmed it yet", List.of());
        }
        List<String> laggards = c.routerStates().stream().filter(r -> !r.current()).map(ConfirmationLine::laggard).toList();
        if (c.complete()) {
            return new ConfirmationLine(true, String.format(Locale.ROOT,
                    "Revision %d effective on %s routers, %s after the change (slowest: %s)", c.revision(),
                    c.confirmedBy(), ms(c.slowestDelayMs()), c.slowestRouter()), laggards);
        }
        return new ConfirmationLine(false, "Revision " + c.revision() + " effective on " + c.confirmedBy()
                + " routers so far", laggards);
    }

    private static String laggard(RouterConfirmation r) {
        return r.routerId() + " still on revision " + r.revision() + (r.silent() ? " (silent since "
                + DashboardData.TIME.format(r.lastSeen()) + ")" : "");
    }

    private static String ms(Double value) {
        if (value == null) {
            return "?";
        }
        return value >= 1000 ? String.format(Locale.ROOT, "%.1f s", value / 1000) : String.format(Locale.ROOT, "%.0f ms", value);
    }
}
