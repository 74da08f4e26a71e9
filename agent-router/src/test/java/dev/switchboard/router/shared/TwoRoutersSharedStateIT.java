package dev.switchboard.router.shared;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.support.FakeControlPlane;
import dev.switchboard.router.support.Features;
import dev.switchboard.router.support.GenericSigner;
import dev.switchboard.router.support.RedisServer;
import dev.switchboard.router.support.RouterContexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two routers behind one URL, sharing a Redis of the test's own; each call's events alternate between them.
 * A total rollback mid-call splits no call; a provider retry landing on the other router is forwarded once and
 * answered from the shared cache; with Redis killed mid-test every webhook is still answered (decided locally,
 * counted), and when Redis is back the routers share again. Two rollback episodes (the second after Redis
 * returned).
 */
class TwoRoutersSharedStateIT {

    private final WireMockServer v1 = new WireMockServer(options().dynamicPort());
    private final WireMockServer v2 = new WireMockServer(options().dynamicPort());
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeControlPlane cp;
    private RedisServer redis;
    private final List<ConfigurableApplicationContext> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(ConfigurableApplicationContext::close);
        if (cp != null) {
            cp.close();
        }
        if (redis != null) {
            redis.close();
        }
        v1.stop();
        v2.stop();
    }

    @Test
    void callsDoNotSplitRetriesAreForwardedOnceAndRedisGoingAwayFailsOpen() throws Exception {
        assumeTrue(RedisServer.installed(), "needs /usr/bin/redis-server");
        v1.start();
        v2.start();
        v1.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v1\"}")));
        v2.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v2\"}")));
        redis = new RedisServer();
        cp = new FakeControlPlane(Features.payload(1, true, 100, List.of(), List.of()));
        Path dir = Files.createTempDirectory("two-routers");
        for (String id : List.of("router-a", "router-b")) {
            Map<String, String> p = RouterContexts.defaults(cp.baseUrl(), v1.baseUrl(), v2.baseUrl(), dir, id);
            p.put("switchboard.router.unleash.mode", "POLLING");
            p.put("switchboard.router.redis.url", redis.url());
            p.put("switchboard.router.redis.retry-after", "300ms");
            // the promise under test is the sharing, not the 50 ms budget: a slow round trip on a loaded machine
            // must not turn into a local decision (a killed Redis still fails at once: commands are rejected)
            p.put("switchboard.router.redis.command-timeout", "2s");
            routers.add(RouterContexts.start(p));
        }
        int a = RouterContexts.port(routers.get(0));
        int b = RouterContexts.port(routers.get(1));
        awaitRevision(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> routers.stream()
                .allMatch(r -> r.getBean(SharedStore.class).available()));

        // 1. calls started at 100 % on v2, alternating routers, across a total rollback
        List<String> calls = List.of("c-" + UUID.randomUUID(), "c-" + UUID.randomUUID(), "c-" + UUID.randomUUID());
        for (String call : calls) {
            assertThat(send(a, "acme", call, "m-" + UUID.randomUUID())).isEqualTo("v2");
        }
        cp.features(Features.payload(2, false, 100, List.of(), List.of()));
        awaitRevision(2);
        for (int round = 0; round < 3; round++) {
            for (String call : calls) {
                assertThat(send(round % 2 == 0 ? b : a, "acme", call, "m-" + UUID.randomUUID()))
                        .as("event %d of call %s after the rollback", round, call).isEqualTo("v2");
            }
        }
        assertThat(send(b, "acme", "c-new-" + UUID.randomUUID(), "m-" + UUID.randomUUID())).as("a new call").isEqualTo("v1");

        // 2. a provider retry: same message id, first on router A then on router B: forwarded once
        String retryCall = "c-" + UUID.randomUUID();
        String messageId = "m-retry-" + UUID.randomUUID();
        String body = body(retryCall, messageId);
        assertThat(post(a, "acme", body)).isEqualTo("v1");
        assertThat(post(b, "acme", body)).isEqualTo("v1");
        v1.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(messageId)));
        // the same message id in another tenant is another event (keys are tenant-scoped)
        assertThat(post(b, "globex", body(retryCall, messageId))).isEqualTo("v1");
        v1.verify(2, postRequestedFor(urlEqualTo("/webhooks/generic"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(messageId)));

        // 3. Redis killed mid-test: every webhook still answered, decided locally, counted
        cp.features(Features.payload(3, true, 100, List.of(), List.of()));
        awaitRevision(3);
        String duringOutage = "c-" + UUID.randomUUID();
        redis.kill();
        for (int i = 0; i < 20; i++) {
            assertThat(send(i % 2 == 0 ? a : b, "acme", i < 10 ? duringOutage : "c-" + UUID.randomUUID(), "m-" + UUID.randomUUID()))
                    .isIn("v1", "v2");
        }
        for (ConfigurableApplicationContext r : routers) {
            assertThat(r.getBean(MeterRegistry.class).get("switchboard.router.shared.state.errors").counter().count())
                    .as("shared state errors counted").isGreaterThan(0);
            assertThat(r.getBean(SharedStore.class).health().getDetails().get("redis").toString()).contains("unavailable");
        }

        // 4. Redis back: the routers share again (second rollback episode on a fresh Redis)
        redis.start();
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> routers.stream().allMatch(r -> r.getBean(SharedStore.class).available()));
        List<String> later = List.of("c-" + UUID.randomUUID(), "c-" + UUID.randomUUID());
        for (String call : later) {
            assertThat(send(b, "acme", call, "m-" + UUID.randomUUID())).isEqualTo("v2");
        }
        cp.features(Features.payload(4, false, 100, List.of(), List.of()));
        awaitRevision(4);
        for (String call : later) {
            assertThat(send(a, "acme", call, "m-" + UUID.randomUUID())).as("call %s after the second rollback", call).isEqualTo("v2");
        }
        String retry2 = body("c-" + UUID.randomUUID(), "m-retry2-" + UUID.randomUUID());
        post(b, "acme", retry2);
        post(a, "acme", retry2);
        v1.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(retry2.substring(retry2.indexOf("m-retry2")))));
    }

    private void awaitRevision(long revision) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> routers.stream()
                .allMatch(r -> r.getBean(FlagDecider.class).revisions().revisionOf("voice_agent_v2") == revision));
    }

    private static String body(String callId, String messageId) {
        return "{\"type\":\"turn\",\"id\":\"" + messageId + "\",\"callId\":\"" + callId + "\"}";
    }

    private String send(int port, String tenant, String callId, String messageId) throws Exception {
        return post(port, tenant, body(callId, messageId));
    }

    private String post(int port, String tenant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/generic"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        GenericSigner.headers("generic_secret", tenant, body).forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("answer to %s", body).isEqualTo(200);
        return response.headers().firstValue("X-Switchboard-Variant").orElse("none");
    }
}
