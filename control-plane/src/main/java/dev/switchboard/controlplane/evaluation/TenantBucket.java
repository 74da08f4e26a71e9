package dev.switchboard.controlplane.evaluation;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Unleash's normalizedHash: murmur3_32 (x86, seed 0) of the UTF-8 bytes of {@code "<groupId>:<tenantId>"} taken
 * as an unsigned integer, modulo 100, plus 1. This is exactly what unleash-client-java (the routers' SDK, and
 * every SDK built on Unleash's Yggdrasil engine) computes for any string, so explain and the routers always
 * agree (UnleashSdkAgreementTest checks ASCII, UTF-8 and numeric ids). The Node SDK does not hash the UTF-8
 * bytes of non-ASCII ids and gives another number for many of them; for ASCII ids, which are all the registry
 * accepts ({@code TenantRules.ID}), every SDK agrees. Because a tenant's bucket never changes, raising the percentage only ever adds tenants
 * to v2.
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
