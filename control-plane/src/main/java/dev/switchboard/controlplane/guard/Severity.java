package dev.switchboard.controlplane.guard;

import java.util.Locale;

/** How bad an evaluation is, in increasing order. */
public enum Severity {
    OK, WARNING, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Severity max(Severity other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
