package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** The routers page lists the SDK instances that talk to the client API, with what they reported for the flag. */
class DashboardSdkInstancesTest extends DashboardTest {

    @Test
    void theRoutersPageShowsEachSdkInstanceItsVersionLastSeenAndItsCountsForTheFlag() {
        String flag = createFlag(true);
        String reading = unique("sdk-reading");
        String other = unique("sdk-other");
        Instant start = Instant.now().minusSeconds(120);
        client().post().uri("/api/client/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("appName", "billing", "instanceId", reading, "sdkVersion", "unleash-client-node:6.4.0",
                        "strategies", java.util.List.of("flexibleRollout"), "interval", 15000,
                        "started", start.toString()))
                .exchange().expectStatus().isAccepted();
        for (String instance : java.util.List.of(reading, other)) {
            String counted = instance.equals(reading) ? flag : unique("other_flag");
            client().post().uri("/api/client/metrics").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("appName", "billing", "instanceId", instance, "bucket", Map.of(
                            "start", start.toString(), "stop", start.plusSeconds(60).toString(),
                            "toggles", Map.of(counted, Map.of("yes", 17, "no", 23)))))
                    .exchange().expectStatus().isAccepted();
        }

        String page = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD).page("/dashboard/flags/" + flag + "/routers");

        assertThat(page).contains("SDK instances").contains("data-test=\"sdks\"");
        assertThat(page).containsPattern("(?s)<td>billing</td><td>" + reading
                + "</td><td>unleash-client-node:6.4.0</td>\\s*<td>[0-9-]+ [0-9:]+ UTC</td><td>17</td><td>23</td>");
        assertThat(page).containsPattern("(?s)<td>" + other + "</td>.*?<td>0</td><td>0</td>\\s*<td>not in the last hour</td>");
    }

    private org.springframework.test.web.reactive.server.WebTestClient client() {
        return web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN).build();
    }
}
