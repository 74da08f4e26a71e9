package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.controlplane.ControlPlaneApplication;
import dev.switchboard.controlplane.ControlPlaneTest;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two control-plane replicas on one database: a change made through replica A's admin API reaches SDK streams
 * held by replica B (through Postgres NOTIFY), both for the real SDK and for a plain SSE reader that checks the
 * wire format. Replica B runs with a 1 s keep-alive so its comments show up within the test.
 */
class TwoControlPlanesTest extends ControlPlaneTest {

    private static ConfigurableApplicationContext replicaB;
    private static String baseUrlB;

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path backups;

    @BeforeAll
    static void startReplicaB() {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--switchboard.security.bootstrap-admin-token=" + ADMIN_TOKEN,
                "--switchboard.security.client-token=" + CLIENT_TOKEN,
                "--switchboard.unleash.keep-alive=1s",
                "--logging.structured.format.console="));
        // command-line arguments, so they win over application.yml's environment defaults
        DATABASE.springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        replicaB = new SpringApplicationBuilder(ControlPlaneApplication.class).run(args.toArray(String[]::new));
        baseUrlB = "http://127.0.0.1:" + ((WebServerApplicationContext) replicaB).getWebServer().getPort();
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
