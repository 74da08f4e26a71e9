package dev.switchboard.controlplane.evaluation;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Unleash's normalizedHash: murmur3_32 (x86, seed 0) of {@code "<groupId>:<tenantId>"} taken as an unsigned
 * integer, modulo 100, plus 1. Every Unleash SDK computes the same number, so the control plane's explain and
 * the router's SDK always agree; and because a tenant's bucket never changes, raising the percentage only
 * ever adds tenants to v2.
 */
public final class TenantBucket {

    private static final int NORMALIZER = 100;

    private TenantBucket() {
    }

    /** The tenant's bucket for the given group, 1..100. */
    public static int of(String groupId, String tenantId) {
        byte[] key = (groupId + ":" + tenantId).getBytes(StandardCharsets.UTF_8);
        int hash = MurmurHash3.hash32x86(key, 0, key.length, 0);
        return (int) (Integer.toUnsignedLong(hash) % NORMALIZER) + 1;
    }
}
