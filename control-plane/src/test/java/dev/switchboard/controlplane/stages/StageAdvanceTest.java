package dev.switchboard.controlplane.stages;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.guard.GuardTestBase;
import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Advancing through the stage plan: refused with the failing criteria on no-go, allowed on go, forced by admin. */
class StageAdvanceTest extends GuardTestBase {

    private String operator;

    @BeforeEach
    void setUp() {
        operator = token("operator");
        SLACK.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        PAGERDUTY.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
    }

    private void notifyOnly(String flag) {
        admin().put().uri("/api/v1/flags/{f}/guard", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("policy", "notify-only", "reason", "test")).exchange().expectStatus().isOk();
    }

    private void traffic(String flag, long v2Errors) {
        String router = unique("router");
        for (int back = 3; back >= 1; back--) {
            push(MetricPushes.window(router, windowAgo(back)).series(flag, "v1", "acme", 200, 1, 300)
                    .series(flag, "v2", "beta", 200, v2Errors, 350));
        }
    }

    @Test
    void advanceIsRefusedWithTheFailingCriteriaWhenNoGo() {
        String flag = rolloutFlag(10, List.of());
        notifyOnly(flag);
        traffic(flag, 8); // 4 % errors: above the 2 % go threshold
        as(operator).post().uri("/api/v1/flags/{f}/advance", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "looks fine")).exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.criteria[?(@.name == 'error-rate')].passed").isEqualTo(false)
                .jsonPath("$.criteria[?(@.name == 'error-rate')].value").isEqualTo(0.04)
                .jsonPath("$.criteria[?(@.name == 'error-rate')].threshold").isEqualTo(0.02)
                .jsonPath("$.criteria[?(@.name == 'error-rate')].sampleSize").isEqualTo(600)
                .jsonPath("$.criteria[?(@.name == 'p95-latency')].passed").isEqualTo(true);
        assertThat(flag(flag).get("percentage")).isEqualTo(10);
    }

    @Test
    void advanceMovesToTheNextStageWhenGoAndPostsAStatusUpdate() {
        String flag = rolloutFlag(10, List.of());
        traffic(flag, 1);
        await("bake time", Duration.ofSeconds(5), () -> Boolean.TRUE.equals(admin().get()
                .uri("/api/v1/flags/{f}/plan", flag).exchange().expectBody(Map.class).returnResult()
                .getResponseBody().get("go")));
        admin().get().uri("/api/v1/flags/{f}/plan", flag).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.current").isEqualTo("early-adopters")
                .jsonPath("$.next").isEqualTo("expansion")
                .jsonPath("$.stages.length()").isEqualTo(5)
                .jsonPath("$.bakeRemainingSeconds").isEqualTo(0);
        as(operator).post().uri("/api/v1/flags/{f}/advance", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "metrics stable")).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.from").isEqualTo("early-adopters")
                .jsonPath("$.to").isEqualTo("expansion")
                .jsonPath("$.forced").isEqualTo(false)
                .jsonPath("$.state.percentage").isEqualTo(25);
        // in expansion now, whose bake time (1 h in these tests) has just begun: not baked yet
        as(operator).post().uri("/api/v1/flags/{f}/advance", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "again")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.criteria[?(@.name == 'bake-time')].passed").isEqualTo(false);
        await("the Slack status update", Duration.ofSeconds(10), () -> !SLACK.findAll(
                postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing(flag))
                        .withRequestBody(containing("Rollout%20Update"))).isEmpty());
    }

    @Test
    void forcingNeedsAdminAndIsAudited() {
        String flag = rolloutFlag(10, List.of());
        notifyOnly(flag);
        traffic(flag, 8);
        as(operator).post().uri("/api/v1/flags/{f}/advance", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "push it", "force", true)).exchange().expectStatus().isForbidden();
        admin().post().uri("/api/v1/flags/{f}/advance", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "customer deadline", "force", true)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.forced").isEqualTo(true).jsonPath("$.state.percentage").isEqualTo(25);
        Map<?, ?> audit = admin().get().uri("/api/v1/audit?flag={f}&action=stage.advance.forced", flag).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> items = (List<?>) audit.get("items");
        assertThat(items).hasSize(1);
        Map<?, ?> event = (Map<?, ?>) items.get(0);
        assertThat(event.get("actor")).isEqualTo("bootstrap-admin");
        assertThat(event.get("reason")).isEqualTo("customer deadline");
        assertThat(event.get("after").toString()).contains("error-rate");
    }

    @Test
    void badThresholdsAreRefusedOnUpdateWithEveryReason() {
        String flag = rolloutFlag(10, List.of());
        Map<String, Object> t = new java.util.LinkedHashMap<>();
        t.put("errorRateWarningPercent", 6);
        t.put("errorRateCriticalPercent", 5);
        t.put("p95WarningMs", -1);
        t.put("p95CriticalMs", 1200);
        t.put("failedCallsGoPercent", 3);
        t.put("failedCallsNoGoPercent", 150);
        t.put("circuitOpensWarningPerHour", 1);
        t.put("circuitOpensCriticalPerHour", 2);
        t.put("relativeP95Factor", 2.0);
        t.put("relativeP95FloorMs", 200);
        t.put("errorRateMinDeltaPercent", 0.5);
        t.put("confidencePercent", 95);
        t.put("minV2Requests", 50);
        t.put("minCalls", 20);
        t.put("breachesForAlert", 3);
        t.put("healthyForRecovery", 3);
        t.put("maxAttributedTenants", 3);
        admin().put().uri("/api/v1/flags/{f}/guard", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("thresholds", t, "reason", "test")).exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors.length()").isEqualTo(3)
                .jsonPath("$.errors[?(@.field == 'thresholds.p95-warning-ms')]").exists()
                .jsonPath("$.errors[?(@.field == 'thresholds.failed-calls-no-go-percent')]").exists()
                .jsonPath("$.errors[?(@.field == 'thresholds.error-rate-warning-percent')]").exists();
        admin().put().uri("/api/v1/flags/{f}/guard", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("policy", "sometimes", "reason", "test")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("policy");
    }
}
