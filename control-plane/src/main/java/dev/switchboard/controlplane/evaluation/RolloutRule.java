package dev.switchboard.controlplane.evaluation;

import java.util.Objects;
import java.util.Set;

/**
 * Everything the decision for one flag depends on, as an immutable value.
 *
 * @param flag       flag name, also the hash group id (Unleash's {@code groupId})
 * @param enabled    global switch; off means every tenant gets v1
 * @param percentage 0..100, share of hash buckets on v2
 * @param allow      tenants forced to v2 (unless denied)
 * @param deny       tenants forced to v1; deny always wins
 * @param revision   the flag revision this rule was read at
 */
public record RolloutRule(String flag, boolean enabled, int percentage, Set<String> allow, Set<String> deny,
                          long revision) {

    public RolloutRule {
        Objects.requireNonNull(flag, "flag");
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("percentage must be between 0 and 100, was " + percentage);
        }
        allow = Set.copyOf(allow);
        deny = Set.copyOf(deny);
    }
}
