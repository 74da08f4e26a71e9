package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.security.Role;
import dev.switchboard.controlplane.stages.StagePlan;
import java.util.Optional;

/**
 * Every way a flag can change, as values. Each command says which role it needs given the current state, and
 * computes the desired settings from the current ones as a pure function; {@link FlagChanges} does the rest
 * (locking, revision check, persistence, audit, snapshot, notification) the same way for all of them.
 */
public sealed interface FlagCommand {

    /** Audit action name. */
    String action();

    /** The tenant this command is about, for the audit row. */
    default Optional<String> tenant() {
        return Optional.empty();
    }

    Role requiredRole(FlagState current);

    FlagState.Settings apply(FlagState current);

    /** Raise or lower the rollout percentage. Operators may go up to the next stage of the plan; beyond needs admin. */
    record SetPercentage(int percentage) implements FlagCommand {
        public String action() {
            return "flag.percentage.set";
        }

        public Role requiredRole(FlagState current) {
            int ceiling = Math.max(current.percentage(),
                    StagePlan.DEFAULT.next(current.percentage()).map(StagePlan.Stage::percentage).orElse(100));
            return percentage <= ceiling ? Role.OPERATOR : Role.ADMIN;
        }

        public FlagState.Settings apply(FlagState current) {
            return current.settings().withPercentage(percentage);
        }
    }

    /** Global switch (disable is the fastest way to send everyone back to v1). */
    record SetEnabled(boolean enabled) implements FlagCommand {
        public String action() {
            return enabled ? "flag.enabled" : "flag.disabled";
        }

        public Role requiredRole(FlagState current) {
            return Role.ADMIN;
        }

        public FlagState.Settings apply(FlagState current) {
            return current.settings().withEnabled(enabled);
        }
    }

    /** Allow, deny or clear one tenant; {@code action} distinguishes a tenant rollback from a plain deny. */
    record SetOverride(String tenantId, Optional<OverrideMode> mode, String action) implements FlagCommand {
        public Optional<String> tenant() {
            return Optional.of(tenantId);
        }

        public Role requiredRole(FlagState current) {
            return Role.OPERATOR;
        }

        public FlagState.Settings apply(FlagState current) {
            return current.settings().withOverride(tenantId, mode);
        }
    }

    /** Level 2: lower the percentage; never raises it. */
    record PartialRollback(int percentage) implements FlagCommand {
        public String action() {
            return "rollback.partial";
        }

        public Role requiredRole(FlagState current) {
            return Role.OPERATOR;
        }

        public FlagState.Settings apply(FlagState current) {
            if (percentage > current.percentage()) {
                throw new InvalidInput("percentage", "max", "a partial rollback must lower the percentage: it is "
                        + current.percentage() + " now, so the new value must be at most " + current.percentage());
            }
            return current.settings().withPercentage(percentage);
        }
    }

    /** Level 3: everyone back to v1 at once: percentage 0 and the flag switched off. */
    record TotalRollback() implements FlagCommand {
        public String action() {
            return "rollback.total";
        }

        public Role requiredRole(FlagState current) {
            return Role.ADMIN;
        }

        public FlagState.Settings apply(FlagState current) {
            return current.settings().withPercentage(0).withEnabled(false);
        }
    }

    /** Level 4: put back exactly the state kept in a snapshot. */
    record RestoreSnapshot(Snapshot snapshot) implements FlagCommand {
        public String action() {
            return "rollback.data";
        }

        public Role requiredRole(FlagState current) {
            return Role.ADMIN;
        }

        public FlagState.Settings apply(FlagState current) {
            return snapshot.state();
        }
    }
}
