package dev.switchboard.controlplane.guard;

import java.util.List;
import java.util.Optional;

/**
 * A change of alert state decided by one evaluation: raise a warning or a critical alert for the flag or for
 * one tenant, or resolve what was open for it.
 *
 * @param rules for a raise the rule that triggered (first = primary); for a resolve every rule resolved
 */
public record Transition(Kind kind, Severity severity, Optional<String> tenant, List<String> rules,
                         Optional<Finding> evidence) {

    public enum Kind { RAISE, RESOLVE }

    public Transition {
        rules = List.copyOf(rules);
    }

    public String primaryRule() {
        return rules.isEmpty() ? "unknown" : rules.get(0);
    }
}
