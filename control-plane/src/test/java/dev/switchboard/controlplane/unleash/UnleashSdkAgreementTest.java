package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.evaluation.TenantBucket;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proof that routers decide as the control plane does: the real unleash-client-java SDK, fed by this
 * control plane (SSE stream or ETag polling), gives every one of 10,000 tenants exactly the variant that the
 * control plane's explain gives, after each kind of change. No tolerance: one disagreement fails.
 */
class UnleashSdkAgreementTest extends ControlPlaneTest {

    private static final int TENANTS = 10_000;

    @TempDir
    Path backups;

    @ParameterizedTest
    @EnumSource(SdkProbe.Mode.class)
    void sdkAgreesWithExplainForTenThousandTenantsAfterEveryChange(SdkProbe.Mode mode) throws Exception {
        String flag = createFlag(false);
        FlagChangesDriver driver = new FlagChangesDriver(admin(), flag);
        // overrides need registered tenants; pick them so each override changes the outcome at 30 %
        String allowed = registeredTenant(flag, bucket -> bucket > 60);
        String denied = registeredTenant(flag, bucket -> bucket <= 30);
        List<String> tenants = new ArrayList<>(IntStream.range(0, TENANTS - 2)
                .mapToObj(i -> "tenant-" + i).toList());
        tenants.add(allowed);
        tenants.add(denied);

        try (SdkProbe sdk = new SdkProbe(mode, "http://127.0.0.1:" + port, CLIENT_TOKEN, backups)) {
            long revision = driver.enable();
            sdk.awaitRevision(flag, revision);
            assertThat(driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).as("enabled at 0 %").isZero();

            sdk.awaitRevision(flag, driver.percentage(30));
            long atThirty = driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t));
            assertThat(atThirty).as("about 30 %% of %d tenants", TENANTS).isBetween(2_500L, 3_500L);
            assertThat(sdk.isEnabled(flag, denied)).isTrue();
            assertThat(sdk.isEnabled(flag, allowed)).isFalse();

            sdk.awaitRevision(flag, driver.allow(allowed));
            driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t));
            assertThat(sdk.isEnabled(flag, allowed)).isTrue();

            sdk.awaitRevision(flag, driver.deny(denied));
            driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t));
            assertThat(sdk.isEnabled(flag, denied)).isFalse();

            sdk.awaitRevision(flag, driver.percentage(60));
            assertThat(driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).isGreaterThan(atThirty);

            sdk.awaitRevision(flag, driver.totalRollback());
            assertThat(driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).as("total rollback").isZero();

            sdk.awaitRevision(flag, driver.enable());
            assertThat(driver.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).as("re-enabled").isPositive();
            assertThat(sdk.isEnabled(flag, denied)).as("deny survives a rollback").isFalse();

            // the SDK's own registration and metrics posts were accepted and kept
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> yesNoReported(sdk.instanceId(), flag) > 0);
            assertThat(sdkVersion(sdk.instanceId())).isEqualTo("unleash-java-sdk:11.2.1");
        }
    }

    /**
     * Explain computes exactly the Java SDK's bucket for any string, not only for registry ids: ASCII ids, UTF-8
     * ids (accents, CJK, emoji, combining marks) and numeric ids, at a percentage where about half are on v2.
     */
    @org.junit.jupiter.api.Test
    void explainAgreesWithTheJavaSdkForAsciiUtf8AndNumericIds() {
        String flag = createFlag(true);
        FlagChangesDriver driver = new FlagChangesDriver(admin(), flag);
        java.util.Random random = new java.util.Random(18);
        String[] pieces = {"é", "ü", "ñ", "日本", "語", "한국", "😀", "🚀", "e\u0301", "Ω", "ß", "中文", "€", "ℕ"};
        List<String> ascii = new ArrayList<>();
        List<String> utf8 = new ArrayList<>();
        List<String> numeric = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ascii.add("tenant-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            utf8.add("t" + i + pieces[random.nextInt(pieces.length)] + pieces[random.nextInt(pieces.length)]);
            numeric.add(Long.toString(random.nextInt(1_000_000_000)));
        }
        numeric.addAll(List.of("0", "007", "-1", "1e3", "3.14"));
        try (SdkProbe sdk = new SdkProbe(SdkProbe.Mode.POLLING, "http://127.0.0.1:" + port, CLIENT_TOKEN, backups)) {
            sdk.awaitRevision(flag, driver.percentage(50));
            for (List<String> ids : List.of(ascii, utf8, numeric)) {
                long onV2 = driver.assertAgreement(ids, t -> sdk.isEnabled(flag, t));
                assertThat(onV2).as("about half of %s…", ids.get(0)).isBetween(ids.size() * 35L / 100, ids.size() * 65L / 100);
            }
        }
    }

    private static long yesNoReported(String instance, String flag) throws Exception {
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(sum(yes + no), 0) FROM unleash_client_metrics WHERE instance_id = ? AND flag_name = ?")) {
            s.setString(1, instance);
            s.setString(2, flag);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String sdkVersion(String instance) throws Exception {
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT sdk_version FROM unleash_client_instances WHERE instance_id = ? AND registered_at IS NOT NULL")) {
            s.setString(1, instance);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    /** Registers a tenant whose hash bucket for this flag satisfies the condition. */
    private String registeredTenant(String flag, IntPredicate bucket) {
        String id;
        do {
            id = unique("t");
        } while (!bucket.test(TenantBucket.of(flag, id)));
        registerTenants(List.of(id));
        return id;
    }
}
