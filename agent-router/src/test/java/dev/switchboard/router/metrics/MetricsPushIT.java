package dev.switchboard.router.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.router.support.RouterTestBase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** 10-second windows to POST /api/v1/router-metrics: content, heartbeat, retry after a failed push. */
class MetricsPushIT extends RouterTestBase {

    @Autowired
    MetricsPusher pusher;
    @Autowired
    JsonMapper json;

    private void postVapi(String body) {
        client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "vapi_test_secret").bodyValue(body).exchange().expectStatus().isOk();
    }

    private List<JsonNode> pushedWindows() {
        List<LoggedRequest> requests = CONTROL_PLANE.findAll(postRequestedFor(urlPathEqualTo("/api/v1/router-metrics")));
        return requests.stream().map(r -> json.readTree(r.getBodyAsString())).toList();
    }

    @Test
    void windowsCarrySeriesPerVariantAndTenantAndAreRetriedAfterFailure() {
        pusher.pushOnce().block();
        CONTROL_PLANE.resetRequests();
        String callId = "call-" + UUID.randomUUID();
        postVapi(vapi("vapi-assistant-request.json", callId));
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
        postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()).replace("pn_1", "pn_nobody"));

        // control plane refuses: window kept
        CONTROL_PLANE.stubFor(post(urlPathEqualTo("/api/v1/router-metrics")).willReturn(aResponse().withStatus(503)));
        pusher.pushOnce().block();
        assertThat(pusher.bufferedCount()).isEqualTo(1);
        CONTROL_PLANE.stubFor(post(urlPathEqualTo("/api/v1/router-metrics")).willReturn(aResponse().withStatus(202)));
        CONTROL_PLANE.resetRequests();
        pusher.pushOnce().block();
        assertThat(pusher.bufferedCount()).isZero();

        List<JsonNode> windows = pushedWindows();
        assertThat(windows).hasSize(2);
        CONTROL_PLANE.verify(postRequestedFor(urlPathEqualTo("/api/v1/router-metrics"))
                .withHeader("Authorization", equalTo("Bearer router-token-1")));
        JsonNode window = windows.get(0);
        assertThat(window.path("routerId").asString()).isEqualTo("router-test");
        assertThat(window.path("flagRevisions").path("voice_agent_v2").asLong()).isGreaterThanOrEqualTo(1);
        // the state came from the control plane: the window says how old it is (whole seconds, 0 while reachable)
        assertThat(window.path("flagStateAgeSeconds").isIntegralNumber()).as("flagStateAgeSeconds in %s", window).isTrue();
        assertThat(window.path("flagStateAgeSeconds").asLong()).isBetween(0L, 60L);
        JsonNode v2 = series(window, "v2", "acme");
        assertThat(v2.path("requests").asLong()).isEqualTo(2);
        assertThat(v2.path("errors").asLong()).isEqualTo(1);
        assertThat(v2.path("failovers").asLong()).isEqualTo(1);
        assertThat(v2.path("calls").asLong()).isEqualTo(2);
        assertThat(v2.path("failedCalls").asLong()).isEqualTo(1);
        assertThat(v2.path("latencyBucketsMs").size()).isEqualTo(23);
        assertThat(v2.path("latencyCounts").size()).isEqualTo(24);
        JsonNode unresolved = series(window, "v1", "_unresolved");
        assertThat(unresolved.path("requests").asLong()).isEqualTo(1);
        // the second window is a heartbeat
        assertThat(windows.get(1).path("series").size()).isZero();
        assertThat(windows.get(1).path("windowSeconds").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void aRefusedWindowIsDroppedCountedAndNeverBlocksTheNextOnes() {
        pusher.pushOnce().block();
        CONTROL_PLANE.resetRequests();
        double before = refusedCount();
        postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        CONTROL_PLANE.stubFor(post(urlPathEqualTo("/api/v1/router-metrics")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Bad Request\",\"detail\":\"invalid\",\"errors\":[{\"field\":\"windowStart\"}]}")));
        pusher.pushOnce().block();
        assertThat(pusher.bufferedCount()).as("a refused window is not kept").isZero();
        assertThat(refusedCount()).isEqualTo(before + 1);

        CONTROL_PLANE.stubFor(post(urlPathEqualTo("/api/v1/router-metrics")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"accepted\":1,\"refused\":[]}")));
        CONTROL_PLANE.resetRequests();
        postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        pusher.pushOnce().block();
        assertThat(pusher.bufferedCount()).isZero();
        List<JsonNode> windows = pushedWindows();
        assertThat(windows).hasSize(1);
        assertThat(windows.get(0).path("series").size()).isEqualTo(1);
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(s -> assertThat(s).contains("switchboard_router_metrics_windows_refused_total{status=\"400\"}"));
    }

    private double refusedCount() {
        var counter = meters.find("switchboard.router.metrics.windows.refused").tag("status", "400").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void prometheusEndpointAndProbes() {
        postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(s -> assertThat(s)
                        .contains("switchboard_router_webhooks_total{outcome=\"forwarded\",provider=\"vapi\",variant=\"v2\"}")
                        .contains("switchboard_router_latency_seconds_bucket")
                        .contains("switchboard_router_circuit_state"));
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    private static JsonNode series(JsonNode window, String variant, String tenant) {
        for (JsonNode s : window.path("series")) {
            if (s.path("variant").asString().equals(variant) && s.path("tenantId").asString().equals(tenant)) {
                return s;
            }
        }
        throw new AssertionError("no series " + variant + "/" + tenant + " in " + window);
    }
}
