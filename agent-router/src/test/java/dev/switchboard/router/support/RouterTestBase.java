package dev.switchboard.router.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.forwarding.CircuitBreakers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A router on a random port with WireMock as the control plane and as the two voice-agent backends.
 * Flag state: tenant acme on the allow list (v2), beta denied, 0 %, so everyone else is on v1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RouterTestBase {

    public static final WireMockServer CONTROL_PLANE = start();
    public static final WireMockServer V1 = start();
    public static final WireMockServer V2 = start();
    public static final Path STATE_DIR;

    static {
        BlockHoundSupport.install();
        try {
            STATE_DIR = Files.createTempDirectory("router-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stubControlPlane(CONTROL_PLANE, Features.payload(1, true, 0, List.of("acme"), List.of("beta")));
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected FlagDecider decider;
    @Autowired
    protected CircuitBreakers breakers;

    protected WebTestClient client;

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().containerThreads(30).asynchronousResponseEnabled(true));
        server.start();
        return server;
    }

    public static void stubControlPlane(WireMockServer cp, String features) {
        cp.stubFor(get(urlPathEqualTo("/api/client/features"))
                .willReturn(okJson(features).withHeader("ETag", "\"f" + features.hashCode() + "\"")));
        cp.stubFor(post(urlPathEqualTo("/api/client/register")).willReturn(aResponse().withStatus(202)));
        cp.stubFor(post(urlPathEqualTo("/api/client/metrics")).willReturn(aResponse().withStatus(202)));
        cp.stubFor(post(urlPathEqualTo("/api/v1/router-metrics")).willReturn(aResponse().withStatus(202)));
        cp.stubFor(post(urlPathEqualTo("/api/v1/router-confirmations")).willReturn(aResponse().withStatus(204)));
        cp.stubFor(get(urlPathEqualTo("/api/v1/tenants/identifiers")).willReturn(okJson("""
                {"items":[
                 {"provider":"vapi","kind":"phone_number_id","value":"pn_1","tenantId":"acme"},
                 {"provider":"vapi","kind":"phone_number_id","value":"pn_beta","tenantId":"beta"},
                 {"provider":"vapi","kind":"assistant_id","value":"asst_gamma","tenantId":"gamma"},
                 {"provider":"twilio","kind":"number","value":"+14155550199","tenantId":"acme"},
                 {"provider":"retell","kind":"number","value":"+14155550199","tenantId":"acme"},
                 {"provider":"retell","kind":"agent_id","value":"agent_1","tenantId":"acme"}
                ]}""").withHeader("ETag", "\"ids-1\"")));
    }

    @DynamicPropertySource
    static void routerProperties(DynamicPropertyRegistry r) {
        r.add("switchboard.router.control-plane-url", CONTROL_PLANE::baseUrl);
        r.add("switchboard.router.v1-url", V1::baseUrl);
        r.add("switchboard.router.v2-url", V2::baseUrl);
        r.add("switchboard.router.client-token", () -> "client-token-1");
        r.add("switchboard.router.router-token", () -> "router-token-1");
        r.add("switchboard.router.router-id", () -> "router-test");
        r.add("switchboard.router.public-url", () -> "https://router.example.com");
        r.add("switchboard.router.unleash.mode", () -> "POLLING");
        r.add("switchboard.router.unleash.backup-file", () -> STATE_DIR.resolve("unleash.json").toString());
        r.add("switchboard.router.tenants.cache-file", () -> STATE_DIR.resolve("identifiers.json").toString());
        r.add("switchboard.router.tenants.refresh-interval", () -> "1s");
        r.add("switchboard.router.metrics.push-interval", () -> "1h");
        r.add("switchboard.router.signatures.vapi.secret", () -> "vapi_test_secret");
        r.add("switchboard.router.signatures.vapi.tenants.beta", () -> "beta_secret");
        r.add("switchboard.router.signatures.twilio.secret", () -> "12345");
        r.add("switchboard.router.signatures.retell.secret", () -> "key_test");
        r.add("switchboard.router.signatures.generic.secret", () -> "generic_secret");
        r.add("switchboard.router.deadlines.events.vapi.assistant-request", () -> "1500ms");
        r.add("switchboard.router.deadlines.events.vapi.tool-calls", () -> "1500ms");
        r.add("switchboard.router.deadlines.events.twilio.voice", () -> "1500ms");
        r.add("switchboard.router.deadlines.default-deadline", () -> "1500ms");
        r.add("switchboard.router.circuit-breaker.minimum-number-of-calls", () -> "4");
        r.add("switchboard.router.circuit-breaker.sliding-window-size", () -> "4");
        r.add("switchboard.router.circuit-breaker.wait-in-open-state", () -> "60s");
    }

    @BeforeEach
    void resetWorld() {
        // a fresh connection per request: thousands of fuzzed requests must not depend on keep-alive reuse races
        client = WebTestClient.bindToServer(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection())))
                .baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(20)).build();
        V1.resetAll();
        V2.resetAll();
        V1.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v1\"}")));
        V2.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v2\"}")));
        breakers.of(Variant.V1).reset();
        breakers.of(Variant.V2).reset();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decider.decide("acme") == Variant.V2);
    }

    public static String fixture(String name) {
        try (InputStream in = RouterTestBase.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A unique call id so tests do not see each other's pins and retry keys. */
    public static String vapi(String fixture, String callId) {
        return fixture(fixture).replace("\"call_1\"", "\"" + callId + "\"");
    }
}
