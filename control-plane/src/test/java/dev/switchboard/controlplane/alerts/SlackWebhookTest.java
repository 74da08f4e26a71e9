package dev.switchboard.controlplane.alerts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slack through an incoming webhook (no bot token configured): the Block Kit message is posted as JSON to the
 * webhook URL; 2xx is delivered, 5xx and 429 are retried, other 4xx (e.g. a revoked webhook) are final.
 */
class SlackWebhookTest {

    private static final WireMockServer HOOK = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    private static final String PATH = "/services/T000/B000/XXXX";
    private final JsonMapper json = JsonMapper.builder().build();
    private SlackSink sink;
    private AlertStore.Delivery delivery;

    @BeforeAll
    static void start() {
        HOOK.start();
    }

    @AfterAll
    static void stop() {
        HOOK.stop();
    }

    @BeforeEach
    void sink() {
        HOOK.resetAll();
        AlertProperties properties = new AlertProperties(
                new AlertProperties.Slack("", "#voice-agent-alerts", "http://127.0.0.1:" + HOOK.port() + PATH,
                        "http://127.0.0.1:1/api/"),
                new AlertProperties.PagerDuty("", "http://127.0.0.1:1"), Duration.ofMinutes(15), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofMinutes(5), true);
        sink = new SlackSink(properties, json);
        Map<String, Object> message = AlertMessages.slackRaised(new AlertMessages.AlertText("voice_v2", null, "critical",
                "error-rate", "URGENT: Voice Agent V2 Rollback Initiated (voice_v2)", "v2 error rate 10.00% over 20s",
                "rolled back to 0% and disabled (all tenants on v1)", Instant.parse("2026-11-22T10:00:00Z"),
                "http://dashboard.test/flags/voice_v2", Map.of()));
        delivery = new AlertStore.Delivery(1, 1L, "slack", "trigger", json.writeValueAsString(message), 0);
    }

    @Test
    void theBlockKitMessageIsPostedToTheWebhook() {
        HOOK.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        assertThat(sink.send(delivery).block()).isInstanceOf(Sink.Result.Delivered.class);
        HOOK.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$.text", equalTo(
                        ":rotating_light: URGENT: Voice Agent V2 Rollback Initiated (voice_v2) — v2 error rate 10.00% over 20s")))
                .withRequestBody(matchingJsonPath("$.blocks[0].type", equalTo("header")))
                .withRequestBody(matchingJsonPath("$.blocks[2].elements[0].text",
                        equalTo("<http://dashboard.test/flags/voice_v2|Open in Switchboard>  :sos: @oncall-eng"))));
    }

    @Test
    void serverErrorsAndRateLimitsAreRetriedOtherRefusalsAreFinal() {
        HOOK.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        assertThat(sink.send(delivery).block()).isInstanceOf(Sink.Result.Retry.class);
        HOOK.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        assertThat(sink.send(delivery).block()).isInstanceOf(Sink.Result.Retry.class);
        HOOK.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(404).withBody("no_service")));
        assertThat(sink.send(delivery).block()).isInstanceOfSatisfying(Sink.Result.Failed.class,
                f -> assertThat(f.toString()).contains("404").contains("no_service"));
    }
}
