package dev.switchboard.controlplane.unleash;

import static org.awaitility.Awaitility.await;

import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import io.getunleash.util.UnleashConfig;
import io.getunleash.util.UnleashScheduledExecutorImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real unleash-client-java SDK pointed at a control plane, plus a subscriber that records which revision
 * of a flag each state the SDK took carried, so a test can wait until the SDK holds a given revision.
 */
final class SdkProbe implements AutoCloseable {

    enum Mode { STREAMING, POLLING }

    private record Fetched(ClientFeaturesResponse.Status status, Map<String, Long> revisions) {
    }

    private final Mode mode;
    private final String instanceId = "probe-" + UUID.randomUUID();
    private final Unleash unleash;
    private final List<Fetched> fetched = new ArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();

    SdkProbe(Mode mode, String baseUrl, String token, Path backupDir) {
        this.mode = mode;
        UnleashConfig.Builder config = UnleashConfig.builder()
                .appName("switchboard-sdk-test")
                .instanceId(instanceId)
                .unleashAPI(baseUrl + "/api")
                .apiKey(token)
                .backupFile(backupDir.resolve("unleash-backup-" + UUID.randomUUID() + ".json").toString())
                .fetchTogglesInterval(1)
                .sendMetricsInterval(1)
                // its own threads: the SDK's default executor is a JVM-wide singleton that shutdown() kills
                .scheduledExecutor(new UnleashScheduledExecutorImpl())
                .subscriber(new UnleashSubscriber() {
                    @Override
                    public void togglesFetched(ClientFeaturesResponse response) {
                        record(response);
                    }
                });
        if (mode == Mode.STREAMING) {
            config.experimentalStreamingMode();
        }
        this.unleash = new DefaultUnleash(config.build());
    }

    String instanceId() {
        return instanceId;
    }

    boolean isEnabled(String flag, String tenant) {
        return unleash.isEnabled(flag, UnleashContext.builder().addProperty("tenantId", tenant).build());
    }

    /** Waits (polling, with a deadline) until the SDK's engine holds at least this revision of the flag. */
    void awaitRevision(String flag, long revision) {
        // generous: this proves agreement, not speed (propagation is measured in bench/), and CI machines are busy
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> holds(flag, revision));
    }

    private synchronized void record(ClientFeaturesResponse response) {
        Map<String, Long> revisions = new LinkedHashMap<>();
        response.getClientFeatures().ifPresent(body -> revisions.putAll(revisions(json.readTree(body))));
        fetched.add(new Fetched(response.getStatus(), revisions));
    }

    /**
     * Streaming: the SDK announces a state after its engine took it. Polling announces it before taking it,
     * so there the proof is a later "not changed" answer: the poller runs on one thread, so by the next poll the
     * previous state has been taken.
     */
    private synchronized boolean holds(String flag, long revision) {
        for (int i = 0; i < fetched.size(); i++) {
            Fetched f = fetched.get(i);
            if (f.status() != ClientFeaturesResponse.Status.CHANGED
                    || f.revisions().getOrDefault(flag, 0L) < revision) {
                continue;
            }
            if (mode == Mode.STREAMING) {
                return true;
            }
            for (int j = i + 1; j < fetched.size(); j++) {
                if (fetched.get(j).status() == ClientFeaturesResponse.Status.NOT_CHANGED) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Flag revisions in a features document or in a streaming {@code {"events":[…]}} document. */
    private static Map<String, Long> revisions(JsonNode body) {
        Map<String, Long> revisions = new LinkedHashMap<>();
        List<JsonNode> features = new ArrayList<>();
        body.path("features").forEach(features::add);
        for (JsonNode event : body.path("events")) {
            event.path("features").forEach(features::add);
            Optional.ofNullable(event.get("feature")).ifPresent(features::add);
        }
        for (JsonNode feature : features) {
            revisions.merge(feature.path("name").asString(), feature.path("revision").asLong(), Math::max);
        }
        return revisions;
    }

    @Override
    public void close() {
        unleash.shutdown();
    }
}
