package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * A router that is live (its SDK checks in) but whose windows stop arriving, or are refused, is never a silent
 * hole in the guard's view: within 30 s the routers API and page, the dashboard and the guard's verdict all say
 * "blind: router X not reporting" (the guard instead of "insufficient data").
 */
class BlindRouterTest extends DashboardTest {

    @Test
    void aLiveRouterWhoseWindowsStopOrAreRefusedIsShownBlindEverywhereWithin30Seconds() throws Exception {
        String flag = createFlag(true);
        notifyOnly(flag);
        String blind = unique("router");
        String refused = unique("router");
        // both routers' SDKs are live
        stillLive(blind, refused);
        // one delivered a window and then went silent; the other's windows are refused (a token bound to another id)
        asRouter(blind).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MetricPushes.window(blind, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(2))
                        .series(flag, "v2", "acme", 10, 0, 100).build())
                .exchange().expectStatus().isAccepted();
        asRouter(unique("router")).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MetricPushes.window(refused, Instant.now().truncatedTo(ChronoUnit.SECONDS))
                        .series(flag, "v2", "acme", 10, 0, 100).build())
                .exchange().expectStatus().isForbidden();
        long start = System.nanoTime();

        await(Duration.ofSeconds(30), () -> blindRouters().containsAll(List.of(blind, refused)));
        await(Duration.ofSeconds(30), () -> {
            String summary = latestVerdict(flag);
            return summary.contains("blind: routers") && summary.contains(blind) && summary.contains(refused);
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        admin().get().uri("/api/v1/flags/{f}/guard?verdicts=1", flag).exchange().expectBody()
                .jsonPath("$.verdicts[0].status").isEqualTo("blind");

        // the SDKs are still live, as a polling SDK is (its registration would otherwise age out on a slow run)
        stillLive(blind, refused);
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);
        String routersPage = viewer.page("/dashboard/flags/" + flag + "/routers");
        assertThat(routersPage).contains(blind).contains("blind: live but its metric windows are not arriving");
        String overview = viewer.page("/dashboard/flags/" + flag);
        assertThat(overview).contains("blind: router " + blind + " not reporting")
                .contains("blind: router " + refused + " not reporting");

        // windows arriving again: no longer blind
        stillLive(blind, refused);
        asRouter(blind).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MetricPushes.window(blind, Instant.now().truncatedTo(ChronoUnit.SECONDS)).build())
                .exchange().expectStatus().isAccepted();
        assertThat(blindRouters()).doesNotContain(blind).contains(refused);
    }

    private void stillLive(String... routers) {
        for (String r : routers) {
            as(CLIENT_TOKEN).post().uri("/api/client/register").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(registration(r)).exchange().expectStatus().isAccepted();
        }
    }

    private List<String> blindRouters() {
        return viewer().get().uri("/api/v1/routers").exchange().expectStatus().isOk().expectBodyList(Map.class)
                .returnResult().getResponseBody().stream().filter(r -> Boolean.TRUE.equals(r.get("blind")))
                .map(r -> (String) r.get("routerId")).toList();
    }

    @SuppressWarnings("unchecked")
    private String latestVerdict(String flag) {
        Map<String, Object> guard = admin().get().uri("/api/v1/flags/{f}/guard?verdicts=1", flag).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<Map<String, Object>> verdicts = (List<Map<String, Object>>) guard.get("verdicts");
        return verdicts.isEmpty() ? "" : String.valueOf(verdicts.get(0).get("summary"));
    }

    private static Map<String, Object> registration(String instance) {
        return Map.of("appName", "agent-router", "instanceId", instance, "sdkVersion", "unleash-java-sdk:11.2.1",
                "strategies", List.of("default", "flexibleRollout"), "started", Instant.now().toString(),
                "interval", 10000);
    }

    private static void await(Duration max, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + max);
    }
}
