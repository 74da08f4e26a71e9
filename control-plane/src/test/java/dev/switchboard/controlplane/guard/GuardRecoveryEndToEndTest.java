package dev.switchboard.controlplane.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A critical alert, then v2 healthy again: after M healthy evaluations Slack gets a "resolved" message and
 * PagerDuty a {@code resolve} with the dedup key of the trigger, so the incident closes itself. The flag runs
 * the notify-only policy: under auto-rollback v2 would get no more traffic to recover with.
 */
class GuardRecoveryEndToEndTest extends GuardTestBase {

    @BeforeEach
    void sinksUp() {
        SLACK.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}")));
        PAGERDUTY.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    }

    @Test
    void aRecoveredFlagResolvesItsSlackAlertAndPagerDutyIncidentWithTheSameDedupKey() {
        String flag = rolloutFlag(50, List.of());
        admin().put().uri("/api/v1/flags/{f}/guard", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("policy", "notify-only", "reason", "test")).exchange().expectStatus().isOk();
        String router = unique("router");
        for (int back = 1; back >= 0; back--) {
            push(MetricPushes.window(router, windowAgo(back)).series(flag, "v1", "acme", 200, 2, 300)
                    .series(flag, "v2", "beta", 200, 40, 320));
        }
        String dedup = "switchboard/" + flag + "/error-rate/e1";
        await("the PagerDuty trigger", Duration.ofSeconds(30), () -> pagerDuty(flag, dedup, "trigger").size() == 1);
        assertThat(flag(flag).get("enabled")).as("notify-only leaves the flag alone").isEqualTo(true);

        // v2 healthy again: a second router carries far more healthy traffic for the same tenants, so both the
        // 5-min and the short windows judge v2 healthy
        String healthy = unique("router");
        for (int back = 2; back >= 0; back--) {
            push(MetricPushes.window(healthy, windowAgo(back)).series(flag, "v1", "acme", 5000, 50, 300)
                    .series(flag, "v2", "beta", 5000, 5, 320));
        }

        await("the PagerDuty resolve", Duration.ofSeconds(30), () -> pagerDuty(flag, dedup, "resolve").size() == 1);
        await("the Slack resolved message", Duration.ofSeconds(10), () -> SLACK.findAll(
                postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing(flag))
                        .withRequestBody(containing("Resolved"))).size() == 1);
        assertThat(SLACK.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing(flag))))
                .as("the alert and its resolution, nothing else").hasSize(2);
        PAGERDUTY.verify(1, postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("resolve")))
                .withRequestBody(matchingJsonPath("$.dedup_key", equalTo(dedup)))
                .withRequestBody(matchingJsonPath("$.routing_key", equalTo("R0UT1NGKEY0123456789ABCDEFGHIJKL"))));

        List<Map> alerts = admin().get().uri("/api/v1/alerts?flag={f}", flag).exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("status")).isEqualTo("resolved");
        assertThat(alerts.get(0).get("severity")).isEqualTo("critical");
    }

    private static List<LoggedRequest> pagerDuty(String flag, String dedup, String action) {
        return PAGERDUTY.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(matchingJsonPath("$.event_action", equalTo(action)))
                .withRequestBody(matchingJsonPath("$.dedup_key", equalTo(dedup))));
    }
}
