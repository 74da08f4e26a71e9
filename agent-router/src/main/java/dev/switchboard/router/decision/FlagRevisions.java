package dev.switchboard.router.decision;

import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Knows which revision of each flag the SDK currently holds, so the control plane can tell how many
 * routers already act on a rollback. Contract with the control plane: every feature object (in
 * /api/client/features and in the streaming hydration / feature-updated events) carries its revision in
 * {@code description} as {@code rev=<N>} (anything may surround it), read by the contract's
 * {@link dev.switchboard.contract.FlagRevisions#fromDescription}, the same code the control plane writes it with. The
 * description survives the SDK's engine state, so the value is also recovered from the backup file on a cold start.
 */
public final class FlagRevisions implements UnleashSubscriber {

    private static final Logger log = LoggerFactory.getLogger(FlagRevisions.class);

    private final JsonMapper json;
    private final Map<String, Long> revisions = new ConcurrentHashMap<>();
    private volatile long lastUpdateMillis;

    public FlagRevisions(JsonMapper json) {
        this.json = json;
    }

    public Map<String, Long> snapshot() {
        return Map.copyOf(revisions);
    }

    public long revisionOf(String flag) {
        return revisions.getOrDefault(flag, -1L);
    }

    long lastUpdateMillis() {
        return lastUpdateMillis;
    }

    @Override
    public void togglesFetched(ClientFeaturesResponse response) {
        if (response.getStatus() == ClientFeaturesResponse.Status.CHANGED) {
            response.getClientFeatures().ifPresent(this::read);
            lastUpdateMillis = System.currentTimeMillis();
        } else if (response.getStatus() == ClientFeaturesResponse.Status.NOT_CHANGED) {
            lastUpdateMillis = System.currentTimeMillis();
        }
    }

    /** Accepts a full client payload, a streaming event envelope, or the SDK's backup state. */
    public void read(String payload) {
        try {
            JsonNode root = json.readTree(payload);
            if (root.path("value").isObject()) {
                root = root.path("value"); // streaming-mode backup wrapper of SDK 11.2.1
            }
            readFeatures(root.path("features"));
            for (JsonNode event : root.path("events")) {
                readFeatures(event.path("features"));
                readFeature(event.path("feature"));
            }
        } catch (RuntimeException e) {
            log.warn("could not read flag revisions from SDK payload: {}", e.toString());
        }
    }

    private void readFeatures(JsonNode features) {
        for (JsonNode feature : features) {
            readFeature(feature);
        }
    }

    private void readFeature(JsonNode feature) {
        String name = feature.path("name").asString("");
        if (name.isEmpty()) {
            return;
        }
        Optional<Long> revision = dev.switchboard.contract.FlagRevisions.fromDescription(
                feature.path("description").asString(""));
        if (revision.isPresent()) {
            Long previous = revisions.put(name, revision.get());
            if (!revision.get().equals(previous)) {
                log.info("flag {} now at revision {}", name, revision.get());
            }
        }
    }
}
