package dev.switchboard.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PostgreSQL goes away under the running app (a proxy between them is cut): changes answer 503 problems,
 * readiness goes DOWN, nothing is half applied; when it is back the app recovers without a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.security.bootstrap-admin-token=outage-admin",
        "logging.structured.format.console=",
})
class DatabaseOutageTest {

    static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();
    static final TcpProxy PROXY = new TcpProxy(DATABASE.host(), DATABASE.port());

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.r2dbc.url", () -> DATABASE.r2dbcUrlVia(PROXY.port()));
    }

    @AfterAll
    static void cleanUp() {
        PROXY.close();
        DATABASE.close();
    }

    @LocalServerPort
    int port;

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("Authorization", "Bearer outage-admin").build();
    }

    private int setPercentage(String flag, int percentage) {
        return client().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", percentage, "reason", "outage test")).exchange()
                .expectBody().returnResult().getStatus().value();
    }

    private int readiness() {
        return client().get().uri("/actuator/health/readiness").exchange().expectBody().returnResult().getStatus().value();
    }

    /**
     * A probe as a load balancer makes it: no answer within 5 s counts as "not ready" (-1), and the next probe is a
     * new request. What the test holds the app to is that readiness comes back within the wait, every time, without a
     * restart; a single probe held up after the outage is reported on the test's output.
     */
    private int probe(Supplier<Integer> request, String what) {
        try {
            return java.util.concurrent.CompletableFuture.supplyAsync(request::get)
                    .get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("[outage-test] " + what + " did not answer within 5 s");
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    private static void eventually(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 40 s: " + what);
            }
            Thread.sleep(250);
        }
    }

    @Test
    void databaseDownGives503AndReadinessDownThenRecoversWithoutRestart() throws InterruptedException {
        String flag = "outage_flag";
        client().post().uri("/api/v1/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", flag, "description", "d")).exchange().expectStatus().isCreated();
        assertThat(setPercentage(flag, 10)).isEqualTo(200);
        assertThat(readiness()).isEqualTo(200);

        PROXY.cut();

        client().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 20, "reason", "during outage")).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("database"))
                .jsonPath("$.trace").doesNotExist();
        client().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isEqualTo(503);
        eventually(() -> readiness() == 503, "readiness DOWN");
        // liveness stays UP: the process is fine, it is the database that is away (no restart loop)
        client().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

        PROXY.restore();

        eventually(() -> probe(this::readiness, "a readiness probe") == 200, "readiness UP again");
        eventually(() -> setPercentage(flag, 25) == 200, "changes accepted again");
        // the change attempted during the outage was not applied, not even partly
        client().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.percentage").isEqualTo(25)
                .jsonPath("$.revision").isEqualTo(3);
        client().get().uri("/api/v1/audit?flag={f}&reason=x", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.reason == 'during outage')]").isEmpty();
    }

    @Test
    void aDatabaseThatStopsAnsweringMakesReadinessSayDownWithinSecondsEveryTime() throws InterruptedException {
        eventually(() -> readiness() == 200, "ready before the partition");
        for (int episode = 1; episode <= 2; episode++) {
            PROXY.stall(); // connections stay open, nothing answers: no error to notice, only silence

            long start = System.nanoTime();
            client().get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.r2dbc.status").isEqualTo("DOWN")
                    .jsonPath("$.components.r2dbc.details.reason").value(r -> assertThat(r.toString())
                            .contains("did not answer within"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("episode %d: readiness answered instead of hanging", episode)
                    .isLessThan(DatabaseHealth.LIMIT.plusSeconds(2));

            PROXY.restore();
            eventually(() -> probe(this::readiness, "a readiness probe") == 200, "readiness UP again after partition " + episode);
        }
    }
}
