package dev.switchboard.controlplane.guard;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one evaluation, explainable on its own: the status, whether it concerns the flag or only the
 * attributed tenants, every finding with value, threshold, baseline, sample size and confidence, and the
 * alert transitions it caused.
 *
 * @param status {@code insufficient-data}, {@code healthy}, {@code warning} or {@code critical} as seen in this
 *               evaluation (alerts only follow after K such evaluations)
 * @param scope  {@code flag} or {@code tenants}
 */
public record Verdict(Instant at, String status, String scope, List<String> tenants, String summary,
                      List<Finding> findings, List<Transition> transitions) {

    public static final String INSUFFICIENT = "insufficient-data";
    /** Not enough data because a live router's windows are not arriving (or are refused). */
    public static final String BLIND = "blind";

    /** This verdict, saying which live routers it cannot see; "blind" instead of "insufficient data". */
    public Verdict blinded(List<String> routers) {
        if (routers.isEmpty()) {
            return this;
        }
        String blind = "blind: router" + (routers.size() > 1 ? "s " : " ") + String.join(", ", routers)
                + " not reporting";
        return INSUFFICIENT.equals(status)
                ? new Verdict(at, BLIND, scope, tenants, blind + " (" + summary + ")", findings, transitions)
                : new Verdict(at, status, scope, tenants, blind + "; judged on the other routers: " + summary, findings,
                transitions);
    }

    public Verdict {
        tenants = List.copyOf(tenants);
        findings = List.copyOf(findings);
        transitions = List.copyOf(transitions);
    }
}
