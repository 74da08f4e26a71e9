package dev.switchboard.router.confirmation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.router.AgentRouterApplication;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.support.Features;
import dev.switchboard.router.support.RouterTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router confirms the revision its SDK applied, with its own timeline (stream event received, engine updated,
 * first decision), with its router token; killed and restarted while the stream is down, it confirms at once the
 * revision it decides with from its backup file, then the newer one when the stream is back.
 */
class RevisionConfirmationIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/api/v1/router-confirmations";

    private final WireMockServer cp = new WireMockServer(options().dynamicPort());
    private ConfigurableApplicationContext router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        cp.stop();
    }

    private ConfigurableApplicationContext startRouter(Path dir) {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("switchboard.router.control-plane-url", cp.baseUrl());
        p.put("switchboard.router.v1-url", RouterTestBase.V1.baseUrl());
        p.put("switchboard.router.v2-url", RouterTestBase.V2.baseUrl());
        p.put("switchboard.router.client-token", "client-token-1");
        p.put("switchboard.router.router-token", "router-7:secret-7");
        p.put("switchboard.router.router-id", "router-7");
        p.put("switchboard.router.unleash.mode", "STREAMING");
        p.put("switchboard.router.unleash.streaming-fallback-after", "1h");
        p.put("switchboard.router.confirm-interval", "200ms");
        p.put("switchboard.router.unleash.backup-file", dir.resolve("unleash.json").toString());
        p.put("switchboard.router.tenants.cache-file", dir.resolve("identifiers.json").toString());
        p.put("switchboard.router.metrics.push-interval", "1h");
        return new SpringApplicationBuilder(AgentRouterApplication.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private void stream(int revision, boolean allowAcme) {
        String hydration = "{\"events\":[{\"type\":\"hydration\",\"eventId\":" + revision + ",\"features\":["
                + Features.feature("voice_agent_v2", revision, true, 0, allowAcme ? List.of("acme") : List.of(), List.of())
                + "],\"segments\":[]}]}";
        cp.stubFor(get(urlPathEqualTo("/api/client/streaming")).willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream")
                .withBody("event: unleash-connected\ndata: " + hydration + "\n\n")));
    }

    private List<JsonNode> confirmations() {
        return cp.findAll(postRequestedFor(urlPathEqualTo(PATH))).stream().map(LoggedRequest::getBodyAsString)
                .map(JSON::readTree).toList();
    }

    @Test
    void confirmsWhatItAppliedThenItsFirstDecisionAndAfterARestartItsBackupState() throws IOException {
        cp.start();
        RouterTestBase.stubControlPlane(cp, Features.payload(6, true, 0, List.of(), List.of()));
        stream(7, true);
        Path dir = Files.createTempDirectory("router-confirm");
        router = startRouter(dir);

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(confirmations())
                .anySatisfy(c -> {
                    assertThat(c.path("routerId").asString()).isEqualTo("router-7");
                    assertThat(c.path("flag").asString()).isEqualTo("voice_agent_v2");
                    assertThat(c.path("revision").asLong()).isEqualTo(7);
                    assertThat(c.path("source").asString()).isEqualTo("stream");
                    Instant received = Instant.parse(c.path("receivedAt").asString());
                    Instant applied = Instant.parse(c.path("appliedAt").asString());
                    assertThat(received).isBeforeOrEqualTo(applied);
                    assertThat(Duration.between(received, applied)).isLessThan(Duration.ofSeconds(3));
                }));
        assertThat(cp.findAll(postRequestedFor(urlPathEqualTo(PATH))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer router-7:secret-7");
        // no call decided yet on revision 7: no first decision reported
        assertThat(confirmations()).filteredOn(c -> c.path("revision").asLong() == 7)
                .allSatisfy(c -> assertThat(c.path("firstDecisionAt").isNull()).isTrue());

        Instant before = Instant.now();
        assertThat(router.getBean(FlagDecider.class).decide("acme")).isEqualTo(Variant.V2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(confirmations())
                .filteredOn(c -> !c.path("firstDecisionAt").isNull())
                .anySatisfy(c -> {
                    assertThat(c.path("revision").asLong()).isEqualTo(7);
                    Instant first = Instant.parse(c.path("firstDecisionAt").asString());
                    assertThat(first).isAfterOrEqualTo(before.minusMillis(1));
                    assertThat(first).isAfterOrEqualTo(Instant.parse(c.path("appliedAt").asString()));
                }));

        // killed; restarted while the control plane's client API is down: it confirms its backup state at once
        router.close();
        router = null;
        cp.resetRequests();
        cp.stubFor(get(urlPathEqualTo("/api/client/streaming")).willReturn(aResponse().withStatus(503)));
        cp.stubFor(get(urlPathEqualTo("/api/client/features")).willReturn(aResponse().withStatus(503)));
        router = startRouter(dir);
        assertThat(router.getBean(FlagDecider.class).decide("acme")).isEqualTo(Variant.V2);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(confirmations())
                .anySatisfy(c -> {
                    assertThat(c.path("revision").asLong()).isEqualTo(7);
                    assertThat(c.path("source").asString()).isEqualTo("backup");
                }));

        // the stream is back with a newer revision: confirmed from the stream
        stream(8, false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(confirmations())
                .anySatisfy(c -> {
                    assertThat(c.path("revision").asLong()).isEqualTo(8);
                    assertThat(c.path("source").asString()).isEqualTo("stream");
                }));
        assertThat(router.getBean(FlagDecider.class).decide("acme")).isEqualTo(Variant.V1);
    }
}
