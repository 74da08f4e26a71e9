package dev.switchboard.controlplane.evaluation;

/** Which voice agent a tenant's calls go to. */
public enum Variant {
    V1, V2;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
