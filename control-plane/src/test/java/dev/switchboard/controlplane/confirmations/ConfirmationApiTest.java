package dev.switchboard.controlplane.confirmations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.testing.TcpProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routers confirm the revision they decide with; the flag API shows N/M, the slowest router and its delay, and the
 * pending routers; completion is audited once; a router left on an old revision raises a warning each time.
 */
@TestPropertySource(properties = {"switchboard.confirmations.stale-after=3s",
        "switchboard.confirmations.interval=200ms"})
class ConfirmationApiTest extends ControlPlaneTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private AlertStore alerts;

    private void confirm(String router, String flag, long revision, Instant applied) {
        confirmVia(web, router, flag, revision, applied);
    }

    /** A router's confirmation through the control plane {@code controlPlane} is (this one, or a replica). */
    private void confirmVia(WebTestClient controlPlane, String router, String flag, long revision, Instant applied) {
        sendVia(controlPlane, router, flag, revision, applied).expectStatus().isNoContent();
    }

    /** A router's confirmation sent through {@code controlPlane}, its answer left to the caller. */
    private WebTestClient.ResponseSpec sendVia(WebTestClient controlPlane, String router, String flag, long revision,
            Instant applied) {
        Map<String, Object> body = new HashMap<>();
        body.put("routerId", router);
        body.put("flag", flag);
        body.put("revision", revision);
        body.put("appliedAt", applied.toString());
        body.put("receivedAt", applied.minusNanos(300_000).toString());
        body.put("source", "stream");
        body.put("sentAt", Instant.now().plusMillis(1).toString());
        return controlPlane.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + asRouterToken(router)).build()
                .post().uri("/api/v1/router-confirmations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }

    private JsonNode flag(String flag) {
        byte[] body = viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private long setPercentage(String flag, int percentage) {
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", percentage, "reason", "test")).exchange().expectStatus().isOk();
        return flag(flag).path("revision").asLong();
    }

    private static Instant changedAt(JsonNode flag) {
        return OffsetDateTime.parse(flag.path("updatedAt").asString()).toInstant();
    }

    @Test
    void everyLiveRouterConfirmsAndTheFlagApiShowsNOverMTheSlowestAndThePending() throws Exception {
        String flag = createFlag(true);
        String r1 = unique("router");
        String r2 = unique("router");
        String r3 = unique("router");
        long before = flag(flag).path("revision").asLong();
        for (String r : List.of(r1, r2, r3)) {
            confirm(r, flag, before, Instant.now().minusMillis(1));
        }
        long revision = setPercentage(flag, 30);
        Instant changed = changedAt(flag(flag));
        Thread.sleep(80); // the routers' apply times below must lie before the control plane hears them
        confirm(r1, flag, revision, changed.plus(5, ChronoUnit.MILLIS));
        confirm(r2, flag, revision, changed.plus(40, ChronoUnit.MILLIS));

        JsonNode c = flag(flag).path("confirmation");
        assertThat(c.path("revision").asLong()).isEqualTo(revision);
        assertThat(c.path("confirmedBy").asString()).isEqualTo("2/3");
        assertThat(c.path("complete").asBoolean()).isFalse();
        assertThat(c.path("pending").get(0).asString()).isEqualTo(r3);
        assertThat(c.path("slowestRouter").asString()).isEqualTo(r2);
        assertThat(c.path("slowestDelayMs").asDouble()).isEqualTo(40.0);

        confirm(r3, flag, revision, changed.plus(20, ChronoUnit.MILLIS));
        c = flag(flag).path("confirmation");
        assertThat(c.path("confirmedBy").asString()).isEqualTo("3/3");
        assertThat(c.path("complete").asBoolean()).isTrue();
        assertThat(c.path("pending")).isEmpty();
        assertThat(c.path("slowestRouter").asString()).isEqualTo(r2);
        assertThat(c.path("slowestDelayMs").asDouble()).isEqualTo(40.0);
        assertThat(Instant.parse(c.path("completeAt").asString())).isEqualTo(changed.plusMillis(40));

        // a heartbeat of the same revision (later apply time, e.g. after a restart from backup) changes nothing
        confirm(r2, flag, revision, Instant.now().minusMillis(1));
        assertThat(flag(flag).path("confirmation").path("slowestDelayMs").asDouble()).isEqualTo(40.0);

        // the change's audit event gets its confirmation appended, once
        JsonNode audit = JSON.readTree(viewer().get().uri("/api/v1/audit?flag={f}", flag).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody()).path("items");
        // (the first revision was complete when r1 alone was live: it got its own event)
        List<JsonNode> confirmed = audit.valueStream().filter(e -> e.path("action").asString().equals("flag.confirmed")
                && e.path("after").path("revision").asLong() == revision).toList();
        assertThat(confirmed).hasSize(1);
        JsonNode change = audit.valueStream().filter(e -> e.path("after").path("revision").asLong() == revision
                && !e.path("action").asString().equals("flag.confirmed")).findFirst().orElseThrow();
        assertThat(confirmed.get(0).path("after").path("changeEventId").asLong()).isEqualTo(change.path("id").asLong());
        assertThat(confirmed.get(0).path("after").path("confirmationMs").asDouble()).isEqualTo(40.0);
        assertThat(confirmed.get(0).path("reason").asString()).contains("3/3", "40.0 ms", r2);
    }

    @Test
    void aRouterLeftOnAnOldRevisionRaisesAWarningEachTimeAndItResolvesWhenItConfirms() {
        String flag = createFlag(true);
        String good = unique("router");
        String lagging = unique("router");
        long start = flag(flag).path("revision").asLong();
        confirm(good, flag, start, Instant.now().minusMillis(1));
        confirm(lagging, flag, start, Instant.now().minusMillis(1));

        long previous = start;
        for (int episode = 1; episode <= 2; episode++) {
            long revision = setPercentage(flag, 10 * episode);
            confirm(good, flag, revision, Instant.now().minusMillis(1));
            long held = previous;
            // the lagging router keeps its heartbeat on the old revision: alive, deciding on stale flags
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                confirm(lagging, flag, held, Instant.now().minusSeconds(30));
                assertThat(openStale(flag)).singleElement().satisfies(a -> {
                    assertThat(a.path("severity").asString()).isEqualTo("warning");
                    assertThat(a.path("explanation").asString()).contains(lagging, "revision " + held);
                });
            });
            assertThat(flag(flag).path("confirmation").path("confirmedBy").asString()).isEqualTo("1/2");
            confirm(lagging, flag, revision, Instant.now().minusMillis(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openStale(flag)).isEmpty());
            previous = revision;
        }
        JsonNode all = JSON.readTree(viewer().get().uri("/api/v1/alerts?flag={f}&status=all", flag).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        List<JsonNode> stale = all.valueStream().filter(a -> a.path("rule").asString().equals("router-stale")).toList();
        assertThat(stale).hasSize(2).allSatisfy(a -> {
            assertThat(a.path("explanation").asString()).contains(lagging);
            assertThat(a.path("status").asString()).isEqualTo("resolved");
        });
    }

    @Test
    void aStaleRouterWarningStaysOutsideTheGuardsEpisodesAndIsResolvedOnlyByTheRoutersConfirmation() {
        String flag = createFlag(true);
        // the guard's first episode on this flag, raised and resolved before any router lagged
        Instant t = Instant.now();
        int first = alerts.episodeFor(flag, Optional.empty()).block();
        alerts.insertAlert(flag, Optional.empty(), "critical", "error-rate", "switchboard/" + flag + "/error-rate/e" + first,
                "test breach", null, "none (notify-only policy)", t, first).block();
        assertThat(alerts.resolve(flag, Optional.empty(), t, "recovered").collectList().block()).hasSize(1);

        OneMovedOn routers = oneMovedOn(flag, 20);
        String lagging = routers.behind();
        long start = routers.start();
        long revision = routers.revision();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            confirm(lagging, flag, start, Instant.now().minusSeconds(30));
            assertThat(openStale(flag)).hasSize(1);
        });

        // the guard breaches again while the router warning is open: a new episode of its own, and superseding or
        // resolving the guard's scope leaves the router warning alone
        int second = alerts.episodeFor(flag, Optional.empty()).block();
        assertThat(second).as("the router warning does not lend the guard its episode").isEqualTo(first + 1);
        long guardAlert = alerts.insertAlert(flag, Optional.empty(), "critical", "error-rate",
                "switchboard/" + flag + "/error-rate/e" + second, "test breach", null, "none", Instant.now(), second).block();
        assertThat(alerts.resolve(flag, Optional.empty(), Instant.now(), "superseded by episode " + (second + 1))
                .map(AlertStore.OpenAlert::id).collectList().block()).containsExactly(guardAlert);
        confirm(lagging, flag, start, Instant.now().minusSeconds(30));
        assertThat(openStale(flag)).as("still deciding on stale flags: still alerted").hasSize(1);

        // the router catches up: its own confirmation resolves the warning
        confirm(lagging, flag, revision, Instant.now().minusMillis(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openStale(flag)).isEmpty());
        JsonNode all = JSON.readTree(viewer().get().uri("/api/v1/alerts?flag={f}&status=all", flag).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(all.valueStream().filter(a -> a.path("rule").asString().equals("router-stale")).toList())
                .singleElement().satisfies(a -> assertThat(a.path("status").asString()).isEqualTo("resolved"));
    }

    @Test
    void heartbeatsDoNotQueueOnTheFlagsLockAndARouterMovingToTheNewRevisionIsSettledUnderIt() throws Exception {
        String flag = createFlag(true);
        OneMovedOn routers = oneMovedOn(flag, 40);
        String a = routers.ahead();
        String b = routers.behind();
        long start = routers.start();
        long revision = routers.revision();
        String lockSql = "hashtext('switchboard-confirmations:' || ?)";
        try (Connection other = DriverManager.getConnection(DATABASE.jdbcUrl(), DATABASE.user(), DATABASE.password())) {
            // another replica works on this flag's confirmations and holds its lock
            try (PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(" + lockSql + ")")) {
                lock.setString(1, flag);
                lock.execute();
            }
            long t0 = System.nanoTime();
            confirm(a, flag, revision, Instant.now().minusMillis(1)); // heartbeats: the same revision again
            confirm(b, flag, start, Instant.now().minusMillis(1));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("heartbeats answered while the lock is held")
                    .isLessThan(Duration.ofSeconds(2));

            // b moves to the new revision: that may complete it, so it is settled under the lock and waits for it
            CompletableFuture<Void> moving = CompletableFuture.runAsync(
                    () -> confirm(b, flag, revision, Instant.now().minusMillis(1)));
            Thread.sleep(500);
            assertThat(moving).as("a move to the new revision waits for the flag's lock").isNotDone();
            try (PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(" + lockSql + ")")) {
                unlock.setString(1, flag);
                unlock.execute();
            }
            moving.get(10, TimeUnit.SECONDS);
        }
        JsonNode c = flag(flag).path("confirmation");
        assertThat(c.path("confirmedBy").asString()).isEqualTo("2/2");
        assertThat(c.path("complete").asBoolean()).isTrue();
    }

    @Test
    void sixRoutersConfirmingAtOnceThroughTwoControlPlanesCompleteEachChangeOnce() throws Exception {
        String flag = createFlag(true);
        List<String> routers = java.util.stream.IntStream.range(0, 6).mapToObj(i -> unique("router")).toList();
        try (ConfigurableApplicationContext replica = startReplica("--switchboard.guard.enabled=false")) {
            WebTestClient other = WebTestClient.bindToServer().baseUrl(baseUrlOf(replica))
                    .responseTimeout(Duration.ofSeconds(10)).build();
            ExecutorService pool = Executors.newFixedThreadPool(routers.size());
            try {
                for (int change = 1; change <= 3; change++) {
                    long revision = setPercentage(flag, 10 * change);
                    Instant applied = changedAt(flag(flag)).plusMillis(2);
                    Thread.sleep(20); // apply times lie before the control planes hear them
                    // every router confirms the new revision and a heartbeat of it at once, half through each replica
                    List<CompletableFuture<Void>> sends = new ArrayList<>();
                    for (int i = 0; i < routers.size(); i++) {
                        WebTestClient via = i % 2 == 0 ? web : other;
                        String router = routers.get(i);
                        sends.add(CompletableFuture.runAsync(() -> {
                            confirmVia(via, router, flag, revision, applied);
                            confirmVia(via == web ? other : web, router, flag, revision, applied);
                        }, pool));
                    }
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                    JsonNode c = flag(flag).path("confirmation");
                    assertThat(c.path("revision").asLong()).isEqualTo(revision);
                    assertThat(c.path("confirmedBy").asString()).isEqualTo("6/6");
                    assertThat(c.path("complete").asBoolean()).isTrue();
                    JsonNode audit = JSON.readTree(viewer().get().uri("/api/v1/audit?flag={f}", flag).exchange()
                            .expectStatus().isOk().expectBody().returnResult().getResponseBody()).path("items");
                    assertThat(audit.valueStream().filter(e -> e.path("action").asString().equals("flag.confirmed")
                            && e.path("after").path("revision").asLong() == revision).toList())
                            .as("change %d: its completion audited once", change).hasSize(1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * One control plane loses its database while a router lags behind a change: the router's confirmations through
     * it are refused with 503 and Retry-After (the router sends again; nothing half written), the warning stays one,
     * and once the link is back the router's next send through the same control plane resolves it. The next change
     * raises and resolves a warning of its own.
     */
    @Test
    void aControlPlaneCutFromTheDatabaseRefusesConfirmationsWith503AndTheWarningStillRisesAndResolvesOnce() {
        String flag = createFlag(true);
        try (TcpProxy link = new TcpProxy(DATABASE.host(), DATABASE.port());
                ConfigurableApplicationContext replica = startReplicaVia(link, "--switchboard.guard.enabled=false",
                        "--switchboard.confirmations.stale-after=3s", "--switchboard.confirmations.interval=200ms")) {
            WebTestClient cutOff = WebTestClient.bindToServer().baseUrl(baseUrlOf(replica))
                    .responseTimeout(Duration.ofSeconds(30)).build();
            OneMovedOn routers = oneMovedOn(flag, 20);
            String lagging = routers.behind();
            long held = routers.start();
            long revision = routers.revision();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                confirmVia(cutOff, lagging, flag, held, Instant.now().minusSeconds(30));
                assertThat(openStale(flag)).hasSize(1);
            });

            link.cut();
            for (int send = 1; send <= 3; send++) {
                long sent = send == 3 ? revision : held;
                sendVia(cutOff, lagging, flag, sent, Instant.now().minusMillis(1))
                        .expectStatus().isEqualTo(503)
                        .expectHeader().exists("Retry-After")
                        .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            }
            assertThat(flag(flag).path("confirmation").path("confirmedBy").asString())
                    .as("the refused confirmation of the new revision was not recorded").isEqualTo("1/2");
            assertThat(openStale(flag)).as("the warning stays one while a replica is cut off").hasSize(1);

            link.restore();
            // the router sends again through the same control plane until its pool is back
            Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> confirmVia(cutOff, lagging, flag, revision, Instant.now().minusMillis(1)));
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openStale(flag)).isEmpty());
            assertThat(flag(flag).path("confirmation").path("confirmedBy").asString()).isEqualTo("2/2");

            // the next change: the same router lags again and is warned about again, then catches up
            long next = setPercentage(flag, 30);
            confirm(routers.ahead(), flag, next, Instant.now().minusMillis(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                confirmVia(cutOff, lagging, flag, revision, Instant.now().minusSeconds(30));
                assertThat(openStale(flag)).singleElement().satisfies(a ->
                        assertThat(a.path("explanation").asString()).contains(lagging, "revision " + revision));
            });
            confirmVia(cutOff, lagging, flag, next, Instant.now().minusMillis(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openStale(flag)).isEmpty());
        }
        JsonNode all = JSON.readTree(viewer().get().uri("/api/v1/alerts?flag={f}&status=all", flag).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(all.valueStream().filter(a -> a.path("rule").asString().equals("router-stale")).toList())
                .as("one warning per lagging episode, each resolved").hasSize(2)
                .allSatisfy(a -> assertThat(a.path("status").asString()).isEqualTo("resolved"));
    }

    @Test
    void aRouterTokenConfirmsOnlyForItsRouterAndBadConfirmationsAre400NamingTheField() {
        String flag = createFlag(true);
        String router = unique("router");
        Map<String, Object> good = new HashMap<>(Map.of("routerId", router, "flag", flag, "revision", 2,
                "appliedAt", Instant.now().minusSeconds(1).toString(), "source", "stream",
                "sentAt", Instant.now().toString()));
        asRouter(unique("other")).post().uri("/api/v1/router-confirmations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(good).exchange().expectStatus().isForbidden();
        operator().post().uri("/api/v1/router-confirmations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(good).exchange().expectStatus().isForbidden();
        Map<String, Object[]> broken = Map.of(
                "revision", new Object[] {"revision", 0},
                "source", new Object[] {"source", "carrier-pigeon"},
                "sentAt", new Object[] {"sentAt", Instant.now().minus(Duration.ofHours(1)).toString()},
                "appliedAt", new Object[] {"appliedAt", Instant.now().plusSeconds(60).toString()},
                "flag", new Object[] {"flag", "no_such_flag_" + router.toLowerCase()});
        broken.forEach((field, change) -> {
            Map<String, Object> bad = new HashMap<>(good);
            bad.put((String) change[0], change[1]);
            asRouter(router).post().uri("/api/v1/router-confirmations").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(bad).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(field);
        });
        assertThat(flag(flag).path("confirmation").path("routers").asInt()).isZero();
    }

    /** Two routers confirmed the flag's revision; then it changed and only the first confirmed the new one. */
    private record OneMovedOn(String ahead, String behind, long start, long revision) {
    }

    private OneMovedOn oneMovedOn(String flag, int percentage) {
        String ahead = unique("router");
        String behind = unique("router");
        long start = flag(flag).path("revision").asLong();
        confirm(ahead, flag, start, Instant.now().minusMillis(1));
        confirm(behind, flag, start, Instant.now().minusMillis(1));
        long revision = setPercentage(flag, percentage);
        confirm(ahead, flag, revision, Instant.now().minusMillis(1));
        return new OneMovedOn(ahead, behind, start, revision);
    }

    private List<JsonNode> openStale(String flag) {
        JsonNode open = JSON.readTree(viewer().get().uri("/api/v1/alerts?flag={f}&status=open", flag).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        return open.valueStream().filter(a -> a.path("rule").asString().equals("router-stale")).toList();
    }
}
