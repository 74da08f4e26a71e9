package dev.switchboard.controlplane.evaluation;

/** Why a tenant got its variant, in the order the rules are tried. */
public enum Reason {
    /** The flag is switched off (total rollback): everyone on v1. */
    DISABLED,
    /** The tenant is on the deny list: v1, whatever else holds. */
    DENIED,
    /** The tenant is on the allow list: v2. */
    ALLOWED,
    /** Decided by the tenant's hash bucket against the rollout percentage. */
    BUCKET;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
