package dev.switchboard.controlplane.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagEvaluatorTest {

    /** Known vectors of Unleash's normalizedHash (client specification / SDK test suites). */
    @ParameterizedTest(name = "bucket({1}:{0}) = {2}")
    @CsvSource({
            "123, gr1, 73",
            "999, groupX, 25",
    })
    void bucketMatchesUnleashNormalizedHash(String tenant, String group, int expected) {
        assertThat(TenantBucket.of(group, tenant)).isEqualTo(expected);
    }

    @Test
    void bucketsAreAlwaysBetweenOneAndHundredAndSpreadEvenly() {
        int[] counts = new int[101];
        IntStream.range(0, 100_000).forEach(i -> counts[TenantBucket.of("voice_agent_v2", "tenant-" + i)]++);
        assertThat(counts[0]).isZero();
        for (int b = 1; b <= 100; b++) {
            assertThat(counts[b]).as("bucket %d", b).isBetween(800, 1200);
        }
    }

    private static RolloutRule rule(boolean enabled, int percentage, Set<String> allow, Set<String> deny) {
        return new RolloutRule("voice_agent_v2", enabled, percentage, allow, deny, 7);
    }

    /** Precedence of the architecture page: disabled, then deny, then allow, then the bucket. */
    @ParameterizedTest(name = "enabled={0} pct={1} allow={2} deny={3} -> {4} ({5})")
    @CsvSource({
            // enabled, percentage, on allow, on deny, variant, reason
            "false, 100, true,  false, V1, DISABLED",
            "false, 100, false, true,  V1, DISABLED",
            "true,  100, true,  true,  V1, DENIED",
            "true,  100, false, true,  V1, DENIED",
            "true,  0,   true,  false, V2, ALLOWED",
            "true,  100, false, false, V2, BUCKET",
            "true,  0,   false, false, V1, BUCKET",
    })
    void precedence(boolean enabled, int percentage, boolean allowed, boolean denied, Variant variant, Reason reason) {
        String tenant = "acme";
        Evaluation e = FlagEvaluator.evaluate(rule(enabled, percentage, allowed ? Set.of(tenant) : Set.of(),
                denied ? Set.of(tenant) : Set.of()), tenant);
        assertThat(e.variant()).isEqualTo(variant);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.revision()).isEqualTo(7);
        assertThat(e.bucket()).isEqualTo(TenantBucket.of("voice_agent_v2", tenant));
    }

    @Test
    void bucketBoundaryIsInclusive() {
        String tenant = "tenant-42";
        int bucket = TenantBucket.of("voice_agent_v2", tenant);
        assertThat(FlagEvaluator.evaluate(rule(true, bucket, Set.of(), Set.of()), tenant).variant()).isEqualTo(Variant.V2);
        assertThat(FlagEvaluator.evaluate(rule(true, bucket - 1, Set.of(), Set.of()), tenant).variant()).isEqualTo(Variant.V1);
    }

    /** Raising the percentage only ever adds tenants: nobody flips back to v1 on the way up. */
    @Test
    void cohortsAreMonotone() {
        for (int i = 0; i < 5_000; i++) {
            String tenant = "t" + i;
            boolean wasOnV2 = false;
            for (int p = 0; p <= 100; p += 5) {
                boolean onV2 = FlagEvaluator.evaluate(rule(true, p, Set.of(), Set.of()), tenant).variant() == Variant.V2;
                assertThat(!wasOnV2 || onV2).as("%s at %d%%", tenant, p).isTrue();
                wasOnV2 = onV2;
            }
        }
    }
}
