package dev.switchboard.controlplane.errors;

import java.util.List;
import java.util.Map;

/** The caller sent something that breaks a rule; nothing was changed. */
public final class InvalidInput extends SwitchboardException {

    private final List<FieldViolation> violations;
    private final Map<String, Object> extra;

    public InvalidInput(List<FieldViolation> violations, Map<String, Object> extra) {
        super(violations.isEmpty() ? "invalid input"
                : violations.get(0).field() + ": " + violations.get(0).message());
        this.violations = List.copyOf(violations);
        this.extra = Map.copyOf(extra);
    }

    public InvalidInput(String field, String rule, String message) {
        this(List.of(new FieldViolation(field, rule, message)), Map.of());
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** Extra members for the problem body, e.g. the snapshots to choose from. */
    public Map<String, Object> extra() {
        return extra;
    }
}
