package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.errors.InvalidInput;

/** What the guard does about a critical verdict on a flag. */
public enum GuardPolicy {
    NOTIFY_ONLY("notify-only"), PAUSE("pause"), AUTO_ROLLBACK("auto-rollback");

    private final String wire;

    GuardPolicy(String wire) {
        this.wire = wire;
    }

    public String wireName() {
        return wire;
    }

    public static GuardPolicy fromWire(String value) {
        for (GuardPolicy p : values()) {
            if (p.wire.equals(value)) {
                return p;
            }
        }
        throw new InvalidInput("policy", "one-of", "must be one of notify-only, pause, auto-rollback");
    }
}
