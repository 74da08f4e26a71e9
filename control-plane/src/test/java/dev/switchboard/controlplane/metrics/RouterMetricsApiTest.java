package dev.switchboard.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class RouterMetricsApiTest extends ControlPlaneTest {

    private String routerId = unique("router");

    private WebTestClient router() {
        return asRouter(routerId);
    }

    private void push(Map<String, Object> body) {
        asRouter((String) body.get("routerId")).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted();
    }

    private static Instant recent(int secondsAgo) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(secondsAgo);
    }

    @Test
    void windowsAreMergedPerVariantAndRetriesCountOnce() {
        String flag = createFlag(true);
        String router = unique("router");
        Instant w1 = recent(40);
        Instant w2 = recent(30);
        Map<String, Object> first = MetricPushes.window(router, w1).revision(flag, 12)
                .series(flag, "v1", "acme", 100, 1, 100)
                .series(flag, "v2", "acme", 40, 2, 5, 1, 0, 1, 450)
                .series(flag, "v2", "_unresolved", 60, 0, 450).build();
        push(first);
        push(first); // a router retrying the same window
        push(MetricPushes.window(router, w2).series(flag, "v2", "acme", 100, 8, 20, 3, 1, 0, 600).build());

        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m", flag).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.flag").isEqualTo(flag)
                .jsonPath("$.v1.requests").isEqualTo(100)
                .jsonPath("$.v1.errors").isEqualTo(1)
                .jsonPath("$.v2.requests").isEqualTo(200)
                .jsonPath("$.v2.errors").isEqualTo(10)
                .jsonPath("$.v2.errorRate").isEqualTo(0.05)
                .jsonPath("$.v2.calls").isEqualTo(5 + 7 + 20)
                .jsonPath("$.v2.failedCalls").isEqualTo(4)
                .jsonPath("$.v2.circuitBreakerOpens").isEqualTo(1)
                .jsonPath("$.v2.failovers").isEqualTo(1)
                .jsonPath("$.v2.avgLatencyMs").isEqualTo(525.0)
                // 100 in (400,500], 100 in (500,650]: rank 190 is 90/100 into (500, 650]
                .jsonPath("$.v2.p95LatencyMs").isEqualTo(635.0);

        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m&tenant=acme", flag).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.tenantId").isEqualTo("acme")
                .jsonPath("$.v2.requests").isEqualTo(140)
                .jsonPath("$.v1.requests").isEqualTo(100);

        var routers = viewer().get().uri("/api/v1/routers").exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody();
        assertThat(routers).anySatisfy(r -> {
            assertThat(r.get("routerId")).isEqualTo(router);
            assertThat(r.get("version")).isEqualTo("0.1.0");
            assertThat(r.get("stale")).isEqualTo(false);
            assertThat(((Map<?, ?>) r.get("flagRevisions")).get(flag)).isEqualTo(12);
        });
    }

    @Test
    void aHeartbeatRegistersTheRouterWithoutWindows() {
        String router = unique("router");
        push(MetricPushes.window(router, recent(10)).build());
        var routers = viewer().get().uri("/api/v1/routers").exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody();
        assertThat(routers).anySatisfy(r -> assertThat(r.get("routerId")).isEqualTo(router));
    }

    @Test
    void malformedPushesAre400NamingTheFieldAndStoreNothing() {
        String flag = createFlag(true);
        String router = routerId;
        Map<String, Object> good = MetricPushes.window(router, recent(30)).series(flag, "v2", "acme", 10, 0, 100).build();

        List<Map<String, Object>> bad = new ArrayList<>();
        bad.add(with(good, "windowStart", "yesterday"));
        bad.add(withSeries(good, "variant", "v3"));
        bad.add(withSeries(good, "requests", -1));
        bad.add(withSeries(good, "latencyCounts", List.of(1, 2, 3)));
        bad.add(withSeries(good, "errors", 11));
        List<String> fields = List.of("windowStart", "series[0].variant", "series[0].requests",
                "series[0].latencyCounts", "series[0].errors");
        for (int i = 0; i < bad.size(); i++) {
            router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(bad.get(i))
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(fields.get(i));
        }
        router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(withSeries(good, "requests", 12.5)).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("series[0].requests");
        router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{not json").exchange().expectStatus().isBadRequest();

        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.v2.requests").isEqualTo(0);
        var routers = viewer().get().uri("/api/v1/routers").exchange().expectBodyList(Map.class)
                .returnResult().getResponseBody();
        assertThat(routers).noneSatisfy(r -> assertThat(r.get("routerId")).isEqualTo(router));
    }

    @Test
    void onlyTheRouterTokenMayPushAndPeopleMayRead() {
        web.post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer nope").bodyValue(Map.of()).exchange().expectStatus().isUnauthorized();
        admin().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isForbidden();
        viewer().get().uri("/api/v1/flags/x/comparison?window=forever").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("window");
    }

    @Test
    void theSdkClientTokenMayNotFeedTheGuardNorReadTheIdentifierRegistry() {
        String flag = createFlag(true);
        Map<String, Object> good = MetricPushes.window(routerId, recent(10)).series(flag, "v2", "acme", 10, 0, 100).build();
        as(CLIENT_TOKEN).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(good)
                .exchange().expectStatus().isForbidden();
        as(CLIENT_TOKEN).get().uri("/api/v1/tenants/identifiers").exchange().expectStatus().isForbidden();
        as(CLIENT_TOKEN).get().uri("/api/v1/tenants/resolve?provider=vapi&kind=phone_number_id&value=x")
                .exchange().expectStatus().isForbidden();
        // it keeps the Unleash client API
        as(CLIENT_TOKEN).get().uri("/api/client/features").exchange().expectStatus().isOk();
        // a router token reads the registry and pushes its own windows ...
        router().get().uri("/api/v1/tenants/identifiers").exchange().expectStatus().isOk();
        router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(good)
                .exchange().expectStatus().isAccepted();
        // ... but not another router's
        Map<String, Object> forged = MetricPushes.window(unique("router"), recent(10))
                .series(flag, "v2", "acme", 1000, 0, 100).build();
        router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(forged)
                .exchange().expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.v2.requests").isEqualTo(10);
    }

    @Test
    void absurdWindowsAre400NamingTheFieldStoreNothingAndNeverBreakTheSums() {
        String flag = createFlag(true);
        Map<String, Object> good = MetricPushes.window(routerId, recent(10)).series(flag, "v2", "acme", 10, 1, 100).build();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        bodies.add(withSeries(good, "requests", Long.MAX_VALUE));
        cases.put("series[0].requests", "max");
        bodies.add(with(good, "windowStart", "1970-01-01T00:00:00Z"));
        cases.put("windowStart", "clock-skew");
        bodies.add(with(good, "windowStart", "2999-01-01T00:00:00Z"));
        cases.put("windowStart#2", "clock-skew");
        bodies.add(withSeries(good, "flag", "no_such_flag_" + flag));
        cases.put("series[0].flag", "exists");
        bodies.add(withSeries(good, "latencyCounts", java.util.Collections.nCopies(24, Long.MAX_VALUE)));
        cases.put("series[0].latencyCounts", "range");
        bodies.add(withSeries(good, "failedCalls", 101));
        cases.put("series[0].failedCalls", "max");
        bodies.add(with(good, "flagRevisions", Map.of(flag, -1)));
        cases.put("flagRevisions." + flag, "min");
        bodies.add(with(good, "flagStateAgeSeconds", -5));
        cases.put("flagStateAgeSeconds", "range");
        bodies.add(with(good, "flagStateAgeSeconds", Long.MAX_VALUE));
        cases.put("flagStateAgeSeconds#2", "range");
        List<String> fields = new ArrayList<>(cases.keySet());
        for (int i = 0; i < bodies.size(); i++) {
            String field = fields.get(i).replace("#2", "");
            router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(bodies.get(i))
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(field)
                    .jsonPath("$.errors[0].rule").isEqualTo(cases.get(fields.get(i)));
        }
        // two routers at the bound each: the sums stay exact, nothing answers 500
        String other = unique("router");
        long bound = dev.switchboard.contract.WindowRules.MAX_REQUESTS_PER_SECOND * 10;
        for (String r : List.of(routerId, other)) {
            push(MetricPushes.window(r, recent(20)).series(flag, "v2", "acme", bound, bound, 100).build());
        }
        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.v2.requests").isEqualTo(2 * bound);
        viewer().get().uri("/api/v1/flags/{f}/plan", flag).exchange().expectStatus().isOk();
    }

    @Test
    void aPushWithOneBadSeriesStoresTheOthersAndNamesTheRefusedOne() {
        String flag = createFlag(true);
        Map<String, Object> push = MetricPushes.window(routerId, recent(10))
                .series(flag, "v1", "acme", 50, 1, 100)
                .series(flag, "v2", "acme", 40, 2, 100)
                .series(flag, "v2", "beta", 30, 0, 100).build();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = new ArrayList<>((List<Map<String, Object>>) push.get("series"));
        Map<String, Object> bad = new java.util.LinkedHashMap<>(series.get(1));
        bad.put("errors", 41);
        series.set(1, bad);
        router().post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(with(push, "series", series)).exchange().expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.accepted").isEqualTo(2)
                .jsonPath("$.refused[0].index").isEqualTo(1)
                .jsonPath("$.refused[0].tenantId").isEqualTo("acme")
                .jsonPath("$.refused[0].violations[0].field").isEqualTo("series[1].errors");
        viewer().get().uri("/api/v1/flags/{f}/comparison?window=5m", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.v1.requests").isEqualTo(50).jsonPath("$.v2.requests").isEqualTo(30);
    }

    @Test
    void routerTokensAreBoundToARouterIdAtCreation() {
        admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "r", "role", "router")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("routerId");
        admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "r", "role", "viewer", "routerId", "x")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("routerId");
        admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "r", "role", "router", "routerId", "acme eu")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("routerId");
    }

    private static Map<String, Object> with(Map<String, Object> push, String key, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(push);
        copy.put(key, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSeries(Map<String, Object> push, String key, Object value) {
        Map<String, Object> series = new java.util.LinkedHashMap<>(((List<Map<String, Object>>) push.get("series")).get(0));
        series.put(key, value);
        return with(push, "series", List.of(series));
    }
}
