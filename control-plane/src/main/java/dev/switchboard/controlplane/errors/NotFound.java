package dev.switchboard.controlplane.errors;

/** A named thing (flag, tenant, snapshot, token…) does not exist. */
public final class NotFound extends SwitchboardException {

    private final String kind;
    private final String id;

    public NotFound(String kind, String id) {
        super(kind + " '" + id + "' does not exist");
        this.kind = kind;
        this.id = id;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }
}
