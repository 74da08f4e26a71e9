package dev.switchboard.router.decision;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.router.AgentRouterApplication;
import dev.switchboard.router.support.Features;
import dev.switchboard.router.support.RouterTestBase;
import dev.switchboard.router.tenants.IdentifierRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streaming mode against a WireMock control plane (hydration carries a newer revision than the polled
 * payload), then the control plane goes away: routing continues; then a second router is cold-started
 * while it is still away and routes from the SDK backup file and the identifier cache file.
 */
class ControlPlaneAwayIT {

    private final WireMockServer cp = new WireMockServer(options().dynamicPort());
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @AfterEach
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
        if (cp.isRunning()) {
            cp.stop();
        }
    }

    private ConfigurableApplicationContext startRouter(String cpUrl, Path dir, String mode) {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("switchboard.router.control-plane-url", cpUrl);
        p.put("switchboard.router.v1-url", RouterTestBase.V1.baseUrl());
        p.put("switchboard.router.v2-url", RouterTestBase.V2.baseUrl());
        p.put("switchboard.router.client-token", "client-token-1");
        p.put("switchboard.router.router-token", "router-token-1");
        p.put("switchboard.router.router-id", "router-away");
        p.put("switchboard.router.unleash.mode", mode);
        // WireMock closes the SSE response after the hydration; keep the 1 s polling fallback out of this test
        p.put("switchboard.router.unleash.streaming-fallback-after", "1h");
        p.put("switchboard.router.unleash.backup-file", dir.resolve("unleash.json").toString());
        p.put("switchboard.router.tenants.cache-file", dir.resolve("identifiers.json").toString());
        p.put("switchboard.router.tenants.refresh-interval", "1s");
        p.put("switchboard.router.metrics.push-interval", "1h");
        p.put("switchboard.router.signatures.vapi.secret", "vapi_test_secret");
        // command-line arguments: default properties would lose against application.yml
        return new SpringApplicationBuilder(AgentRouterApplication.class)
                .run(p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static String send(ConfigurableApplicationContext ctx) {
        String port = ctx.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build()
                .post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "vapi_test_secret")
                .bodyValue(RouterTestBase.vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()))
                .exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getFirst("X-Switchboard-Variant");
    }

    @Test
    void keepsRoutingWhenTheControlPlaneStopsAndColdStartsFromBackupFiles() throws IOException {
        RouterTestBase.V1.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"from\":\"v1\"}")));
        RouterTestBase.V2.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"from\":\"v2\"}")));
        cp.start();
        // polled payload: revision 6, nobody allowed; the stream's hydration: revision 7, acme allowed
        RouterTestBase.stubControlPlane(cp, Features.payload(6, true, 0, List.of(), List.of()));
        String hydration = "{\"events\":[{\"type\":\"hydration\",\"eventId\":7,\"features\":["
                + Features.feature("voice_agent_v2", 7, true, 0, List.of("acme"), List.of()) + "],\"segments\":[]}]}";
        cp.stubFor(get(urlPathEqualTo("/api/client/streaming")).willReturn(aResponse()
                .withHeader("Content-Type", "text/event-stream")
                .withBody(": keep-alive\n\nevent: unleash-connected\ndata: " + hydration + "\n\n")));
        Path dir = Files.createTempDirectory("router-away");
        first = startRouter(cp.baseUrl(), dir, "STREAMING");
        FlagDecider decider = first.getBean(FlagDecider.class);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> decider.decide("acme") == Variant.V2
                && first.getBean(IdentifierRegistry.class).size() > 0);
        assertThat(decider.revisions().revisionOf("voice_agent_v2")).isEqualTo(7);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(dir.resolve("identifiers.json")));
        assertThat(send(first)).isEqualTo("v2");

        cp.stop();
        Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(send(first)).isEqualTo("v2");
        first.close();
        first = null;

        // The SDK's streaming backup is the engine state: the revision in description must survive it.
        FlagRevisions fromBackup = new FlagRevisions(JsonMapper.builder().build());
        fromBackup.read(Files.readString(dir.resolve("unleash.json")));
        assertThat(fromBackup.revisionOf("voice_agent_v2")).isEqualTo(7);

        String deadUrl;
        try (ServerSocket s = new ServerSocket(0)) {
            deadUrl = "http://127.0.0.1:" + s.getLocalPort();
        }
        second = startRouter(deadUrl, dir, "POLLING");
        assertThat(second.getBean(FlagDecider.class).revisions().revisionOf("voice_agent_v2")).isEqualTo(7);
        assertThat(second.getBean(FlagDecider.class).decide("acme")).isEqualTo(Variant.V2);
        assertThat(second.getBean(IdentifierRegistry.class).size()).isGreaterThan(0);
        assertThat(send(second)).isEqualTo("v2");
    }
}
