package dev.switchboard.controlplane.errors;

/** Creating something whose name is taken. */
public final class AlreadyExists extends SwitchboardException {

    public AlreadyExists(String kind, String id) {
        super(kind + " '" + id + "' already exists");
    }
}
