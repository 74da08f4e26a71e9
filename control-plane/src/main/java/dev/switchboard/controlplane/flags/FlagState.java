package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.evaluation.RolloutRule;
import dev.switchboard.controlplane.stages.StagePlan;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A rollout flag as callers see it. Allow and deny lists are sorted so two equal states render identically
 * (snapshots, ETags, audit diffs).
 */
public record FlagState(String name, String description, boolean enabled, int percentage, List<String> allowTenants,
                        List<String> denyTenants, long revision, String stage, OffsetDateTime updatedAt,
                        String updatedBy) {

    public FlagState {
        allowTenants = List.copyOf(new TreeSet<>(allowTenants));
        denyTenants = List.copyOf(new TreeSet<>(denyTenants));
    }

    public RolloutRule rule() {
        return new RolloutRule(name, enabled, percentage, Set.copyOf(allowTenants), Set.copyOf(denyTenants), revision);
    }

    /** The part of the state a change can alter; equal settings mean a change would do nothing. */
    public Settings settings() {
        return new Settings(enabled, percentage, allowTenants, denyTenants);
    }

    /**
     * The restorable part of a flag: what a snapshot keeps and a data rollback puts back.
     */
    public record Settings(boolean enabled, int percentage, List<String> allowTenants, List<String> denyTenants) {

        public Settings {
            allowTenants = List.copyOf(new TreeSet<>(allowTenants));
            denyTenants = List.copyOf(new TreeSet<>(denyTenants));
        }

        Settings withPercentage(int value) {
            return new Settings(enabled, value, allowTenants, denyTenants);
        }

        Settings withEnabled(boolean value) {
            return new Settings(value, percentage, allowTenants, denyTenants);
        }

        /** Puts the tenant on one list (or none), taking it off the other. */
        Settings withOverride(String tenant, java.util.Optional<OverrideMode> mode) {
            TreeSet<String> allow = new TreeSet<>(allowTenants);
            TreeSet<String> deny = new TreeSet<>(denyTenants);
            allow.remove(tenant);
            deny.remove(tenant);
            mode.ifPresent(m -> (m == OverrideMode.ALLOW ? allow : deny).add(tenant));
            return new Settings(enabled, percentage, List.copyOf(allow), List.copyOf(deny));
        }
    }

    static String stageOf(int percentage) {
        return StagePlan.DEFAULT.current(percentage).name();
    }
}
