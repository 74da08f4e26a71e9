package dev.switchboard.controlplane.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Slack answers 503 and PagerDuty 429 (with Retry-After) for a while: the alerts wait in the outbox and, once
 * both are back, each is delivered exactly once.
 */
class AlertOutageTest extends GuardTestBase {

    @Test
    void alertsSurviveAnOutageAndAreDeliveredExactlyOnceAfterwards() {
        SLACK.resetAll();
        PAGERDUTY.resetAll();
        SLACK.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(503)));
        PAGERDUTY.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "1").withBody("{\"status\":\"throttle event\"}")));

        List<String> flags = List.of(rolloutFlag(50, List.of()), rolloutFlag(25, List.of()));
        String router = unique("router");
        for (int back = 1; back >= 0; back--) {
            MetricPushes p = MetricPushes.window(router, windowAgo(back));
            for (String flag : flags) {
                p.series(flag, "v1", "acme", 200, 2, 300).series(flag, "v2", "beta", 200, 60, 320);
            }
            push(p);
        }
        await("both flags rolled back", Duration.ofSeconds(30),
                () -> flags.stream().allMatch(f -> Boolean.FALSE.equals(flag(f).get("enabled"))));
        // the outage lasts until each sink has refused several attempts
        await("retries during the outage", Duration.ofSeconds(30), () ->
                SLACK.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))).size() >= 4
                        && PAGERDUTY.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))).size() >= 4);
        // the backlog is visible where on-call looks (SwitchboardAlertDeliveryBacklog): two flags x two sinks at least
        await("the backlog exported", Duration.ofSeconds(10), () -> alertsPending() >= 4);

        // the sinks come back: answers added over the outage's (the newest stub wins), never a moment with no stub,
        // whose 404 would be a final refusal
        SLACK.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        PAGERDUTY.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\"}")));

        await("every alert delivered", Duration.ofSeconds(30), () -> flags.stream().allMatch(f -> {
            List<Map> alerts = admin().get().uri("/api/v1/alerts?flag={f}", f).exchange().expectBodyList(Map.class)
                    .returnResult().getResponseBody();
            return !alerts.isEmpty() && alerts.stream().allMatch(a ->
                    Map.of("slack", "delivered", "pagerduty", "delivered").equals(a.get("delivery")));
        }));
        await("the backlog drained", Duration.ofSeconds(30), () -> alertsPending() == 0);
        // give a stray duplicate the chance to show up before counting
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String flag : flags) {
            assertThat(accepted(SLACK, "/api/chat.postMessage", flag)).as("Slack messages for %s accepted", flag)
                    .isEqualTo(1);
            assertThat(accepted(PAGERDUTY, "/v2/enqueue", flag)).as("PagerDuty events for %s accepted", flag)
                    .isEqualTo(1);
        }
    }

    /** Requests to this path naming this flag that the sink accepted (2xx): each alert once, however many retries. */
    private static long accepted(WireMockServer sink, String path, String flag) {
        return sink.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path) && e.getRequest().getBodyAsString().contains(flag))
                .filter(e -> e.getResponse().getStatus() / 100 == 2)
                .count();
    }

    private double alertsPending() {
        String scrape = web.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("switchboard_alerts_pending")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("switchboard_alerts_pending not exported");
    }
}
