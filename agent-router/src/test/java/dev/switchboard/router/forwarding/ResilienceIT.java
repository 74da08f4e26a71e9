package dev.switchboard.router.forwarding;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.pinning.CallPinning;
import dev.switchboard.router.support.Features;
import dev.switchboard.router.support.RouterTestBase;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** Pinning, failover, circuit opening, retry de-duplication and deadlines, with WireMock backends. */
class ResilienceIT extends RouterTestBase {

    @Autowired
    CallPinning pinning;

    private EntityExchangeResult<String> postVapi(String body) {
        return client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "vapi_test_secret").bodyValue(body)
                .exchange().expectBody(String.class).returnResult();
    }

    @Test
    void v2FailureOnAssistantRequestFailsOverToV1Once() {
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("down")));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(200);
        assertThat(r.getResponseBody()).contains("v1");
        assertThat(r.getResponseHeaders().getFirst("X-Switchboard-Variant")).isEqualTo("v1");
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")));
        V1.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")));
        client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                .value(s -> assertThat(s).contains("switchboard_router_failovers_total").contains("outcome=\"failover\""));
    }

    @Test
    void connectErrorAlsoFailsOver() {
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(200);
        assertThat(r.getResponseBody()).contains("v1");
    }

    @Test
    void noFailoverForFireAndForgetEventsBackend5xxPassesThrough() {
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "text/plain").withBody("boom")));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-end-of-call-report.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(500);
        assertThat(r.getResponseBody()).isEqualTo("boom");
        V1.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void circuitOpensAfterFailuresAndThenV2IsNotCalled() {
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        for (int i = 0; i < 4; i++) {
            postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        }
        assertThat(breakers.of(Variant.V2).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        V2.resetRequests();
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getResponseBody()).contains("v1");
        V2.verify(0, anyRequestedFor(anyUrl()));
        client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                .value(s -> assertThat(s).contains("switchboard_router_circuit_opens_total{variant=\"v2\"} 1.0")
                        .contains("switchboard_router_circuit_state{variant=\"v2\"} 1.0"));
    }

    @Test
    void slowV2IsCutAtItsShareOfTheDeadlineAndV1AnswersInTime() {
        // deadline 1500 ms in tests, v2 gets 60 % = 900 ms
        V2.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v2\"}").withFixedDelay(5000)));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(200);
        assertThat(r.getResponseBody()).contains("v1");
    }

    @Test
    void anAnswerLongerThanTheLimitIsABackendFailureNotARouterOutOfMemory() {
        // the limit is 16 MiB (switchboard.router.max-answer-bytes); WebClient used to enforce 16 MB, Netty does not
        String huge = "{\"pad\":\"" + "x".repeat(17 * 1024 * 1024) + "\"}";
        V2.stubFor(any(anyUrl()).willReturn(okJson(huge)));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(200);
        assertThat(r.getResponseBody()).as("assistant-request fails over to v1").contains("v1");
        // without a failover policy the provider gets a 502 problem naming the failure
        EntityExchangeResult<String> tool = postVapi(vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID()));
        assertThat(tool.getStatus().value()).isEqualTo(502);
        assertThat(tool.getResponseBody()).contains("answer_too_large");
        // the same answer sent chunked (no Content-Length) is cut while it is read
        V2.stubFor(any(anyUrl()).willReturn(okJson(huge).withChunkedDribbleDelay(8, 200)));
        EntityExchangeResult<String> chunked = postVapi(vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID()));
        assertThat(chunked.getStatus().value()).isEqualTo(502);
        assertThat(chunked.getResponseBody()).contains("answer_too_large");
    }

    @Test
    void anAnswerDeclaringALengthOverTheLimitIsRefusedOnItsHeaders() {
        // The backend declares 17 MiB but sends two bytes and stops: only the check on the declared length can name
        // the answer too large (reading it would end in a premature close, a different failure).
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("Content-Length", Integer.toString(17 * 1024 * 1024))
                .withBody("{}")));
        EntityExchangeResult<String> tool = postVapi(vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID()));
        assertThat(tool.getStatus().value()).isEqualTo(502);
        assertThat(tool.getResponseBody()).contains("answer_too_large");
    }

    @Test
    void whenNoBackendAnswersInTimeVapiGetsAnErrorAnswerInsteadOfSilence() {
        V2.stubFor(any(anyUrl()).willReturn(okJson("{}").withFixedDelay(5000)));
        V1.stubFor(any(anyUrl()).willReturn(okJson("{}").withFixedDelay(5000)));
        EntityExchangeResult<String> r = postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()));
        assertThat(r.getStatus().value()).isEqualTo(200);
        assertThat(r.getResponseBody()).contains("\"error\"");
        // tool-calls without failover policy: 504 problem after its deadline
        EntityExchangeResult<String> tool = postVapi(vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID()));
        assertThat(tool.getStatus().value()).isEqualTo(504);
        assertThat(tool.getResponseHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        assertThat(tool.getResponseBody()).contains("\"title\":\"Gateway Timeout\"", "\"status\":504",
                "\"rule\":\"backend_deadline\"", "did not answer (timeout)\"");
    }

    @Test
    void providerRetryIsForwardedOnceAndTheAnswerReplayed() {
        V2.stubFor(any(anyUrl()).willReturn(okJson("{\"assistantId\":\"a-1\"}").withFixedDelay(300)));
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID());
        CompletableFuture<EntityExchangeResult<String>> first = CompletableFuture.supplyAsync(() -> postVapi(body));
        CompletableFuture<EntityExchangeResult<String>> concurrent = CompletableFuture.supplyAsync(() -> postVapi(body));
        EntityExchangeResult<String> later = null;
        assertThat(first.join().getResponseBody()).isEqualTo("{\"assistantId\":\"a-1\"}");
        assertThat(concurrent.join().getResponseBody()).isEqualTo("{\"assistantId\":\"a-1\"}");
        later = postVapi(body);
        assertThat(later.getResponseBody()).isEqualTo("{\"assistantId\":\"a-1\"}");
        assertThat(later.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")));
    }

    @Test
    void failedFirstDeliveryIsNotReplayedSoTheRetryIsForwarded() {
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
        String body = vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID()).replace("\"type\":\"tool-calls\"",
                "\"type\":\"tool-calls\",\"timestamp\":1735689600123");
        assertThat(postVapi(body).getStatus().value()).isEqualTo(500);
        V2.stubFor(any(anyUrl()).willReturn(okJson("{\"results\":[]}")));
        assertThat(postVapi(body).getStatus().value()).isEqualTo(200);
        V2.verify(2, postRequestedFor(urlEqualTo("/webhooks/vapi")));
    }

    @Test
    void callStaysPinnedAcrossTotalRollbackAndNewCallsGoToV1() {
        String callId = "call-" + UUID.randomUUID();
        assertThat(postVapi(vapi("vapi-assistant-request.json", callId)).getResponseBody()).contains("v2");
        try {
            stubControlPlane(CONTROL_PLANE, Features.payload(2, false, 0, List.of("acme"), List.of("beta")));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decider.decide("acme") == Variant.V1);
            assertThat(decider.revisions().revisionOf("voice_agent_v2")).isEqualTo(2);
            // same call, later event: still v2
            assertThat(postVapi(vapi("vapi-tool-calls.json", callId)).getResponseBody()).contains("v2");
            // a new call: v1
            assertThat(postVapi(vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID())).getResponseBody()).contains("v1");
            client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                    .value(s -> assertThat(s).contains("switchboard_router_calls_v2_after_rollback"));
            long inflight = pinning.count(Variant.V2);
            assertThat(inflight).isGreaterThanOrEqualTo(1);
            // the call ends: no longer counted
            assertThat(postVapi(vapi("vapi-end-of-call-report.json", callId)).getResponseBody()).contains("v2");
            assertThat(pinning.count(Variant.V2)).isEqualTo(inflight - 1);
        } finally {
            stubControlPlane(CONTROL_PLANE, Features.payload(3, true, 0, List.of("acme"), List.of("beta")));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> decider.decide("acme") == Variant.V2);
        }
    }
}
