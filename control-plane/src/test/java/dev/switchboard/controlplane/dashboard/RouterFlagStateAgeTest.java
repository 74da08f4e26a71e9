package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * How old the flag state each router decides on is, as its windows report it: on the routers API and the routers
 * page, live, then its last known state ageing while its stream is away, live again when it is back.
 */
class RouterFlagStateAgeTest extends DashboardTest {

    @Test
    void eachRoutersFlagStateAgeIsOnTheApiAndThePageAndFollowsItsLatestWindow() throws Exception {
        String flag = createFlag(true);
        String router = unique("router");
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);

        push(router, 0L, 6);
        assertThat(view(router).get("flagStateAgeSeconds")).isEqualTo(0);
        assertThat(row(viewer, flag, router)).contains(">live<");

        // its stream is away: the windows report the last known state's age, and the page says so
        push(router, 250L, 4);
        assertThat(view(router).get("flagStateAgeSeconds")).isEqualTo(250);
        assertThat(row(viewer, flag, router)).contains("last known state, 4 min 10 s old at its last report")
                .contains("warn-text");

        push(router, 0L, 2);
        assertThat(view(router).get("flagStateAgeSeconds")).isEqualTo(0);
        assertThat(row(viewer, flag, router)).contains(">live<").doesNotContain("last known state");

        // a router that never had a confirmed state (or does not report it) is not shown as live
        String cold = unique("router");
        push(cold, null, 0);
        assertThat(view(cold).containsKey("flagStateAgeSeconds")).isTrue();
        assertThat(view(cold).get("flagStateAgeSeconds")).isNull();
        assertThat(row(viewer, flag, cold)).contains("unknown: never confirmed by the control plane, or not reported");
    }

    private void push(String router, Long age, int secondsAgo) {
        asRouter(router).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MetricPushes.window(router, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(secondsAgo))
                        .flagStateAge(age).build())
                .exchange().expectStatus().isAccepted();
    }

    private Map<?, ?> view(String router) {
        return viewer().get().uri("/api/v1/routers").exchange().expectStatus().isOk().expectBodyList(Map.class)
                .returnResult().getResponseBody().stream().filter(r -> router.equals(r.get("routerId"))).findFirst()
                .orElseThrow();
    }

    /** The router's row of the routers page. */
    private static String row(FormSession viewer, String flag, String router) throws Exception {
        String page = viewer.page("/dashboard/flags/" + flag + "/routers");
        int at = page.indexOf(">" + router + "<");
        assertThat(at).as("router %s on the page", router).isPositive();
        return page.substring(page.lastIndexOf("<tr", at), page.indexOf("</tr>", at));
    }
}
