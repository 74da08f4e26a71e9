package dev.switchboard.controlplane.flags;

import java.util.Locale;

/** A per-tenant override: force v2 (allow) or force v1 (deny). */
public enum OverrideMode {
    ALLOW, DENY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
