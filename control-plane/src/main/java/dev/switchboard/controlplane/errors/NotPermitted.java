package dev.switchboard.controlplane.errors;

/** The caller is authenticated but their role does not allow this particular action. */
public final class NotPermitted extends SwitchboardException {

    public NotPermitted(String rule) {
        super(rule);
    }
}
