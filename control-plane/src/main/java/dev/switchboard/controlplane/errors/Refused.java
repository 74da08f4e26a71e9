package dev.switchboard.controlplane.errors;

import java.util.Map;

/**
 * The request is well-formed but the current state does not allow it (e.g. advancing while the go criteria
 * fail). Carries the evidence as extra problem members.
 */
public final class Refused extends SwitchboardException {

    private final Map<String, Object> extra;

    public Refused(String detail, Map<String, Object> extra) {
        super(detail);
        this.extra = Map.copyOf(extra);
    }

    public Map<String, Object> extra() {
        return extra;
    }
}
