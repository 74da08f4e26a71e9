package dev.switchboard.controlplane.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Metric windows showing v2 going bad → alerts to Slack and PagerDuty and an automatic rollback by "guard". */
class GuardEndToEndTest extends GuardTestBase {

    @BeforeEach
    void sinksUp() {
        SLACK.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}")));
        PAGERDUTY.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    }

    @Test
    void v2GoingBadIsRolledBackByTheGuardWithAlertsAndAudit() {
        String flag = rolloutFlag(50, List.of("acme", "beta"));
        String router = unique("router");
        // healthy minutes, then the current window: v2 answers 20 % errors
        for (int back = 7; back >= 2; back--) {
            push(MetricPushes.window(router, windowAgo(back)).series(flag, "v1", "acme", 200, 2, 300)
                    .series(flag, "v2", "beta", 200, 2, 320));
        }
        for (int back = 1; back >= 0; back--) {
            push(MetricPushes.window(router, windowAgo(back)).series(flag, "v1", "acme", 200, 2, 300)
                    .series(flag, "v2", "beta", 200, 40, 320));
        }

        await("the flag to be rolled back", Duration.ofSeconds(30), () -> Boolean.FALSE.equals(flag(flag).get("enabled")));
        Map<?, ?> state = flag(flag);
        assertThat(state.get("percentage")).isEqualTo(0);
        assertThat(state.get("updatedBy")).isEqualTo("guard");

        Map<?, ?> audit = admin().get().uri("/api/v1/audit?flag={f}&actor=guard&action=rollback.total", flag).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> items = (List<?>) audit.get("items");
        assertThat(items).hasSize(1);
        Map<?, ?> mitigated = admin().get().uri("/api/v1/audit?flag={f}&actor=guard&action=alert.mitigated", flag)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) mitigated.get("items")).as("the alert says its rollback took effect").hasSize(1);
        Map<?, ?> event = (Map<?, ?>) items.get(0);
        assertThat(event.get("action")).isEqualTo("rollback.total");
        assertThat(event.get("actorRole")).isEqualTo("admin");
        assertThat((String) event.get("reason")).startsWith("guard verdict #").contains("error-rate")
                .contains("threshold 0.0500").contains("sample size");

        // the rule that fired first names the incident: the sequential error-rate test or the 5-minute one
        String dedup = (String) admin().get().uri("/api/v1/alerts?flag={f}", flag).exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody().stream()
                .filter(a -> "critical".equals(a.get("severity"))).findFirst().orElseThrow().get("dedupKey");
        assertThat(dedup).matches("switchboard/" + flag + "/error-rate(-sequential)?/e1");
        await("Slack and PagerDuty to receive the alert", Duration.ofSeconds(20), () ->
                SLACK.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                        .withRequestBody(containing(flag))).size() == 1
                        && PAGERDUTY.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))
                        .withRequestBody(matchingJsonPath("$.dedup_key", equalTo(dedup)))).size() == 1);
        SLACK.verify(1, postRequestedFor(urlEqualTo("/api/chat.postMessage"))
                .withHeader("Authorization", equalTo("Bearer xoxb-test"))
                .withRequestBody(containing(flag))
                .withRequestBody(containing("channel=%23voice-agent-alerts"))
                .withRequestBody(containing("blocks="))
                .withRequestBody(containing("Rollback%20Initiated")));
        PAGERDUTY.verify(1, postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(containing(flag))
                .withRequestBody(matchingJsonPath("$.routing_key", equalTo("R0UT1NGKEY0123456789ABCDEFGHIJKL")))
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("trigger")))
                .withRequestBody(matchingJsonPath("$.dedup_key", equalTo(dedup)))
                .withRequestBody(matchingJsonPath("$.payload.severity", equalTo("critical")))
                .withRequestBody(matchingJsonPath("$.payload.source", equalTo("switchboard-guard")))
                .withRequestBody(matchingJsonPath("$.payload.component", equalTo(flag)))
                .withRequestBody(matchingJsonPath("$.payload.custom_details.rule", matching("error-rate(-sequential)?")))
                .withRequestBody(matchingJsonPath("$.links[0].href", equalTo("http://dashboard.test/flags/" + flag))));

        await("delivery states to settle", Duration.ofSeconds(10), () -> {
            List<Map> alerts = admin().get().uri("/api/v1/alerts?flag={f}", flag).exchange().expectStatus().isOk()
                    .expectBodyList(Map.class).returnResult().getResponseBody();
            return alerts.size() == 1 && Map.of("slack", "delivered", "pagerduty", "delivered")
                    .equals(alerts.get(0).get("delivery"));
        });
        Map<?, ?> alert = admin().get().uri("/api/v1/alerts?flag={f}", flag).exchange().expectBodyList(Map.class)
                .returnResult().getResponseBody().get(0);
        assertThat(alert.get("severity")).isEqualTo("critical");
        assertThat((String) alert.get("rule")).matches("error-rate(-sequential)?");
        assertThat((String) alert.get("explanation")).contains("verdict #");
        assertThat(alert.get("status")).as("its rollback took effect").isEqualTo("mitigated");
        assertThat(alert.get("episode")).isEqualTo(1);

        // acknowledging a mitigated alert resolves it: PagerDuty resolve with the same key
        Number id = (Number) alert.get("id");
        as(token("operator")).post().uri("/api/v1/alerts/{id}/ack", id).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.acknowledgedBy").isNotEmpty().jsonPath("$.status").isEqualTo("resolved");
        await("PagerDuty resolve", Duration.ofSeconds(10), () -> PAGERDUTY.findAll(postRequestedFor(urlEqualTo("/v2/enqueue"))
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("resolve")))
                .withRequestBody(matchingJsonPath("$.dedup_key", equalTo(dedup)))).size() == 1);

        admin().get().uri("/api/v1/flags/{f}/guard", flag).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.verdicts[0].findings").isArray()
                .jsonPath("$.policy").isEqualTo("auto-rollback");
    }

    @Test
    void aRegressionOfOneTenantDeniesThatTenantAndLeavesTheFlagAlone() {
        List<String> tenants = List.of("good1", "good2", "good3", "good4", "good5", "bad1");
        String flag = rolloutFlag(50, tenants.stream().map(t -> t + "_" + Long.toHexString(System.nanoTime())).toList());
        String router = unique("router");
        String bad = unique("bad");
        admin().post().uri("/api/v1/tenants/import").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(Map.of("id", bad, "displayName", bad))).exchange().expectStatus().isOk();
        MetricPushes p = MetricPushes.window(router, windowAgo(1)).series(flag, "v1", "v1tenant", 1000, 10, 300);
        for (int i = 0; i < 10; i++) {
            p.series(flag, "v2", "good" + i, 200, 0, 300);
        }
        p.series(flag, "v2", bad, 100, 30, 300);
        push(p);

        await("the bad tenant to be denied", Duration.ofSeconds(30),
                () -> ((List<?>) flag(flag).get("denyTenants")).contains(bad));
        Map<?, ?> state = flag(flag);
        assertThat(state.get("enabled")).isEqualTo(true);
        assertThat(state.get("percentage")).isEqualTo(50);
        Map<?, ?> audit = admin().get().uri("/api/v1/audit?flag={f}&actor=guard&action=rollback.tenant", flag).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> event = (Map<?, ?>) ((List<?>) audit.get("items")).get(0);
        assertThat(event.get("action")).isEqualTo("rollback.tenant");
        assertThat(event.get("tenantId")).isEqualTo(bad);
        assertThat((String) event.get("reason")).contains(bad);
    }
}
