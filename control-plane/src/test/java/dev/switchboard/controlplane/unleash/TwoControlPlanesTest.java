package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.changes.ChangeFeed;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two control-plane replicas on one database: a change made through replica A's admin API reaches SDK streams
 * held by replica B (through Postgres NOTIFY), both for the real SDK and for a plain SSE reader that checks the
 * wire format; a change made through B reaches B's own streams directly (without the NOTIFY, without a read) and
 * A's through the NOTIFY, each state once and in order. Replica B runs with a 1 s keep-alive so its comments show
 * up within the test.
 */
class TwoControlPlanesTest extends ControlPlaneTest {

    private static ConfigurableApplicationContext replicaB;
    private static String baseUrlB;

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path backups;

    @BeforeAll
    static void startReplicaB() {
        replicaB = startReplica("--switchboard.unleash.keep-alive=1s");
        baseUrlB = baseUrlOf(replicaB);
    }

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void anSdkStreamingFromReplicaBSeesChangesMadeThroughReplicaA() {
        String flag = createFlag(true);
        FlagChangesDriver throughA = new FlagChangesDriver(admin(), flag);
        List<String> tenants = IntStream.range(0, 10_000).mapToObj(i -> "tenant-" + i).toList();
        try (SdkProbe sdk = new SdkProbe(SdkProbe.Mode.STREAMING, baseUrlB, CLIENT_TOKEN, backups)) {
            sdk.awaitRevision(flag, throughA.percentage(40));
            assertThat(throughA.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).isPositive();

            sdk.awaitRevision(flag, throughA.totalRollback());
            assertThat(throughA.assertAgreement(tenants, t -> sdk.isEnabled(flag, t))).isZero();
        }
    }

    @Test
    void theStreamSaysConnectedWithAHydrationThenUpdatedWithFeatureUpdatedAndKeepsAlive() {
        String flag = createFlag(true);
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        WebClient client = WebClient.builder().baseUrl(baseUrlB)
                .defaultHeader(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        Disposable stream = client.get().uri("/api/client/streaming").accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .subscribe(events::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !events.isEmpty());
            ServerSentEvent<String> connected = events.get(0);
            assertThat(connected.event()).isEqualTo("unleash-connected");
            JsonNode hydration = single(connected);
            assertThat(hydration.path("type").asString()).isEqualTo("hydration");
            assertThat(hydration.path("segments").isArray()).isTrue();
            assertThat(connected.id()).isEqualTo(String.valueOf(hydration.path("eventId").asLong()));
            assertThat(feature(hydration.path("features"), flag)).isPresent();

            long revision = new FlagChangesDriver(admin(), flag).percentage(15);

            await().atMost(Duration.ofSeconds(20)).until(() -> updated(events, flag, revision).isPresent());
            JsonNode update = updated(events, flag, revision).orElseThrow();
            assertThat(update.path("eventId").asLong()).isGreaterThan(hydration.path("eventId").asLong());
            JsonNode strategy = update.path("feature").path("strategies").get(0);
            assertThat(strategy.path("parameters").path("rollout").asString()).isEqualTo("15");

            await().atMost(Duration.ofSeconds(20)).until(() -> events.stream()
                    .anyMatch(e -> e.event() == null && "keep-alive".equals(e.comment())));
        } finally {
            stream.dispose();
        }
    }

    @Test
    void theCommittingReplicasStreamsGetTheChangeWithoutTheDatabaseNotificationAndTheOtherReplicasThroughIt() {
        String flag = createFlag(true);
        ChangeFeed feedB = replicaB.getBean(ChangeFeed.class);
        MeterRegistry metersB = replicaB.getBean(MeterRegistry.class);
        List<ServerSentEvent<String>> onA = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<String>> onB = new CopyOnWriteArrayList<>();
        Disposable streamA = stream("http://127.0.0.1:" + port, onA);
        Disposable streamB = stream(baseUrlB, onB);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !onA.isEmpty() && !onB.isEmpty());
            // B hears no notification at all from here on: only the hand-over of its own commit can tell its stream
            feedB.stop();
            double loadsB = counter(metersB, "switchboard.unleash.stream.loads");
            double localB = counter(metersB, "switchboard.unleash.stream.local");

            long revision = new FlagChangesDriver(adminOf(baseUrlB), flag).percentage(35);

            await().atMost(Duration.ofSeconds(20)).until(() -> updated(onB, flag, revision).isPresent());
            assertThat(updated(onB, flag, revision).orElseThrow().path("feature").path("strategies").get(0)
                    .path("parameters").path("rollout").asString()).isEqualTo("35");
            assertThat(counter(metersB, "switchboard.unleash.stream.loads")).as("no read on the committing replica")
                    .isEqualTo(loadsB);
            assertThat(counter(metersB, "switchboard.unleash.stream.local")).isGreaterThan(localB);
            // replica A learns of it the ordinary way: NOTIFY, then one read
            await().atMost(Duration.ofSeconds(20)).until(() -> updated(onA, flag, revision).isPresent());
        } finally {
            feedB.start();
            streamA.dispose();
            streamB.dispose();
        }
    }

    @Test
    void changesThroughOneReplicaReachEveryStreamOnceAndInOrder() {
        String flag = createFlag(true);
        List<ServerSentEvent<String>> onA = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<String>> onB = new CopyOnWriteArrayList<>();
        Disposable streamA = stream("http://127.0.0.1:" + port, onA);
        Disposable streamB = stream(baseUrlB, onB);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !onA.isEmpty() && !onB.isEmpty());
            FlagChangesDriver throughB = new FlagChangesDriver(adminOf(baseUrlB), flag);
            List<Long> revisions = new ArrayList<>();
            for (int percentage = 10; percentage <= 60; percentage += 10) {
                revisions.add(throughB.percentage(percentage));
            }
            long last = revisions.get(revisions.size() - 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> updated(onA, flag, last).isPresent()
                    && updated(onB, flag, last).isPresent());

            // the committing replica passes on every commit, each once (its own NOTIFYs add nothing)
            assertThat(revisionsSent(onB, flag)).isEqualTo(revisions);
            // the other replica reads what the database holds when it hears a NOTIFY: maybe a newer state, so it
            // may skip one, but never repeats one nor goes back
            List<Long> seenByA = revisionsSent(onA, flag);
            assertThat(seenByA).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates().isSubsetOf(revisions)
                    .endsWith(last);
        } finally {
            streamA.dispose();
            streamB.dispose();
        }
    }

    private WebTestClient adminOf(String baseUrl) {
        return WebTestClient.bindToServer().baseUrl(baseUrl).responseTimeout(Duration.ofSeconds(30))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_TOKEN).build();
    }

    private static Disposable stream(String baseUrl, List<ServerSentEvent<String>> into) {
        WebClient client = WebClient.builder().baseUrl(baseUrl)
                .defaultHeader(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
        return client.get().uri("/api/client/streaming").accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .subscribe(into::add);
    }

    private static double counter(MeterRegistry meters, String name) {
        return meters.get(name).counter().count();
    }

    /** The revisions of {@code flag} a stream sent in feature-updated events, in order. */
    private List<Long> revisionsSent(List<ServerSentEvent<String>> events, String flag) {
        return events.stream().filter(e -> "unleash-updated".equals(e.event())).map(this::single)
                .filter(event -> "feature-updated".equals(event.path("type").asString()))
                .filter(event -> flag.equals(event.path("feature").path("name").asString()))
                .map(event -> event.path("feature").path("revision").asLong()).toList();
    }

    private Optional<JsonNode> updated(List<ServerSentEvent<String>> events, String flag, long revision) {
        return events.stream().filter(e -> "unleash-updated".equals(e.event())).map(this::single)
                .filter(event -> "feature-updated".equals(event.path("type").asString()))
                .filter(event -> flag.equals(event.path("feature").path("name").asString())
                        && event.path("feature").path("revision").asLong() == revision)
                .findFirst();
    }

    /** Each event carries {@code {"events":[one delta event]}}. */
    private JsonNode single(ServerSentEvent<String> event) {
        JsonNode deltas = json.readTree(event.data()).path("events");
        assertThat(deltas.size()).isEqualTo(1);
        return deltas.get(0);
    }

    private static Optional<JsonNode> feature(JsonNode features, String flag) {
        for (JsonNode feature : features) {
            if (flag.equals(feature.path("name").asString())) {
                return Optional.of(feature);
            }
        }
        return Optional.empty();
    }
}
