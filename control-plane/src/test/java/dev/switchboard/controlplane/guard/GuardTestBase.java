package dev.switchboard.controlplane.guard;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.controlplane.metrics.MetricPushes;
import dev.switchboard.testing.PostgresTestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the guard's end-to-end tests: the real app with a fast analysis loop (1 s), Slack and PagerDuty as
 * WireMock servers, and its own database, so no other test context's loop or delivery worker ever touches
 * these flags and outbox rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.security.bootstrap-admin-token=" + GuardTestBase.ADMIN_TOKEN,
        "switchboard.security.client-token=" + GuardTestBase.CLIENT_TOKEN,
        "logging.structured.format.console=",
        "switchboard.guard.interval=1s",
        "switchboard.alerts.poll-interval=200ms",
        "switchboard.alerts.backoff-base=200ms",
        "switchboard.alerts.backoff-max=1s",
        "switchboard.alerts.slack.bot-token=xoxb-test",
        "switchboard.alerts.slack.channel=#voice-agent-alerts",
        "switchboard.alerts.pagerduty.routing-key=R0UT1NGKEY0123456789ABCDEFGHIJKL",
        "switchboard.guard.dashboard-url=http://dashboard.test",
        "switchboard.stages.min-bake=1s,1s,1h,1h",
})
public abstract class GuardTestBase {

    public static final String ADMIN_TOKEN = "guard-admin-token";
    public static final String CLIENT_TOKEN = "guard-client-token";
    protected static final PostgresTestDatabase DATABASE = PostgresTestDatabase.create();
    protected static final WireMockServer SLACK = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    protected static final WireMockServer PAGERDUTY = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        SLACK.start();
        PAGERDUTY.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SLACK.stop();
            PAGERDUTY.stop();
            DATABASE.close();
        }));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("switchboard.alerts.slack.api-url", () -> "http://127.0.0.1:" + SLACK.port() + "/api/");
        registry.add("switchboard.alerts.pagerduty.base-url", () -> "http://127.0.0.1:" + PAGERDUTY.port());
    }

    @LocalServerPort
    protected int port;

    protected WebTestClient web;

    @BeforeEach
    void client() {
        web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    protected WebTestClient as(String token) {
        return web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    protected WebTestClient admin() {
        return as(ADMIN_TOKEN);
    }

    protected static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private final Map<String, String> routerTokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** A router token bound to {@code routerId} (created through the API once per test). */
    protected String routerToken(String routerId) {
        return routerTokens.computeIfAbsent(routerId, id -> {
            Map<?, ?> created = admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "router", "role", "router", "routerId", id)).exchange()
                    .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            return (String) created.get("token");
        });
    }

    protected String token(String role) {
        Map<?, ?> created = admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique(role), "role", role)).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("token");
    }

    /** A flag, enabled, at the given percentage; tenants registered. */
    protected String rolloutFlag(int percentage, List<String> tenants) {
        String flag = unique("flag");
        admin().post().uri("/api/v1/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", flag, "description", "guard test")).exchange().expectStatus().isCreated();
        admin().post().uri("/api/v1/flags/{f}/enable", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "test")).exchange().expectStatus().isOk();
        if (percentage > 0) {
            admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("percentage", percentage, "reason", "test")).exchange().expectStatus().isOk();
        }
        if (!tenants.isEmpty()) {
            admin().post().uri("/api/v1/tenants/import").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(tenants.stream().map(id -> Map.of("id", id, "displayName", id)).toList())
                    .exchange().expectStatus().isOk();
        }
        return flag;
    }

    protected void push(MetricPushes push) {
        as(routerToken(push.routerId())).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(push.build()).exchange().expectStatus().isAccepted();
    }

    /** The start of the 10-second window {@code back} windows before the current one. */
    protected static Instant windowAgo(int back) {
        return MetricPushes.windowAgo(back);
    }

    protected Map<?, ?> flag(String flag) {
        return admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
