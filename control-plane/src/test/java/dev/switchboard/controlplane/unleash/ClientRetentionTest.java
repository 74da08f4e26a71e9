package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The SDK tables stay bounded: metrics buckets past the retention go, instances not heard from within it go
 * with their buckets, and beyond the instance cap the least recently seen go first; what is recent stays. Each
 * rule is shown on two rounds, the second after new posts.
 */
class ClientRetentionTest extends ControlPlaneTest {

    @Autowired
    ClientRetention retention;

    @Autowired
    ClientRegistry registry;

    @Test
    void oldBucketsAndSilentInstancesAreDeletedAndRecentOnesKeptRoundAfterRound() throws Exception {
        for (int round = 1; round <= 2; round++) {
            String flag = unique("flag");
            String recent = unique("recent");
            String silent = unique("silent");
            post(recent, flag, Instant.now().minus(Duration.ofMinutes(2)));
            post(recent, flag, Instant.now().minus(Duration.ofDays(9)));
            post(silent, flag, Instant.now().minus(Duration.ofMinutes(5)));
            sql("UPDATE unleash_client_instances SET last_seen_at = now() - interval '9 days' WHERE instance_id = ?", silent);

            retention.prune().block(Duration.ofSeconds(10));

            assertThat(count("SELECT count(*) FROM unleash_client_instances WHERE instance_id = ?", recent)).isOne();
            assertThat(count("SELECT count(*) FROM unleash_client_metrics WHERE instance_id = ?", recent))
                    .as("round %d: only the recent bucket of the recent instance", round).isOne();
            assertThat(count("SELECT count(*) FROM unleash_client_instances WHERE instance_id = ?", silent)).isZero();
            assertThat(count("SELECT count(*) FROM unleash_client_metrics WHERE instance_id = ?", silent)).isZero();
        }
    }

    @Test
    void beyondTheCapTheLeastRecentlySeenInstancesGoFirst() throws Exception {
        for (int round = 1; round <= 2; round++) {
            String oldest = unique("oldest");
            String newer = unique("newer");
            post(oldest, unique("flag"), Instant.now().minus(Duration.ofMinutes(1)));
            post(newer, unique("flag"), Instant.now().minus(Duration.ofMinutes(1)));
            sql("UPDATE unleash_client_instances SET last_seen_at = now() - interval '7 days' WHERE instance_id = ?", oldest);
            Instant cutoff = Instant.now().minus(Duration.ofDays(8));
            // what is older than the cutoff anyway (other tests' old buckets share this database) goes first
            registry.prune(cutoff, Integer.MAX_VALUE).block(Duration.ofSeconds(10));
            long all = count("SELECT count(*) FROM unleash_client_instances WHERE instance_id <> ?", "");

            long deleted = registry.prune(cutoff, (int) all - 1).block(Duration.ofSeconds(10));

            // at least the one beyond the cap (an instance another test's SDK registers meanwhile may add one)
            assertThat(deleted).as("round %d: the instance beyond the cap", round).isPositive();
            assertThat(count("SELECT count(*) FROM unleash_client_instances WHERE instance_id = ?", oldest)).isZero();
            assertThat(count("SELECT count(*) FROM unleash_client_metrics WHERE instance_id = ?", oldest))
                    .as("its buckets went with it").isZero();
            assertThat(count("SELECT count(*) FROM unleash_client_instances WHERE instance_id = ?", newer)).isOne();
        }
    }

    private void post(String instance, String flag, Instant start) {
        web.post().uri("/api/client/metrics").header(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appName", "retention-test", "instanceId", instance,
                        "bucket", Map.of("start", start.toString(), "stop", start.plusSeconds(60).toString(),
                                "toggles", Map.of(flag, Map.of("yes", 3, "no", 4)))))
                .exchange().expectStatus().isAccepted();
    }

    private static void sql(String statement, String value) throws Exception {
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, value);
            s.executeUpdate();
        }
    }

    private static long count(String query, String value) throws Exception {
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, value);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
