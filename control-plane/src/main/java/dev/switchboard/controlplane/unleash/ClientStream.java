package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.flags.FlagState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * One SDK's stream: what it has been sent, and the next Server-Sent Event for each state change, in the form
 * unleash-client-java's streaming mode (and Unleash Edge) uses. The SDK hands each event's {@code data} to
 * its engine's {@code takeState}, which accepts a delta {@code {"events":[…]}}:
 * <ul>
 * <li>first: {@code event: unleash-connected}, data {@code {"events":[{"type":"hydration","eventId":N,
 * "features":[…],"segments":[]}]}} — the whole state;</li>
 * <li>then per change: {@code event: unleash-updated}, data {@code {"events":[{"type":"feature-updated",
 * "eventId":N,"feature":{…}}]}};</li>
 * <li>after a resync: {@code event: unleash-updated} with a hydration event again.</li>
 * </ul>
 *
 * <p>The stream subscribes to changes before it loads its first state, so the two overlap; it keeps the
 * newest revision of each flag and never sends an older state after a newer one. {@code eventId} is the sum
 * of the revisions it has sent, which only grows. Not thread-safe: one stream's changes are handled in order.
 */
final class ClientStream {

    static final String CONNECTED = "unleash-connected";
    static final String UPDATED = "unleash-updated";

    private final JsonMapper json;
    private final Map<String, FlagState> sent = new TreeMap<>();
    private boolean connected;

    ClientStream(JsonMapper json) {
        this.json = json;
    }

    /**
     * The {@code data} of the first hydration of a stream that has heard of nothing else yet: a function of the
     * state alone, so it is built once per state and shared by every stream that connects meanwhile.
     */
    static String hydrationData(List<FlagState> flags, JsonMapper json) {
        ClientStream stream = new ClientStream(json);
        return stream.hydration(flags).data();
    }

    /** The event to send for this change, if it tells the SDK anything new. */
    Optional<ServerSentEvent<String>> next(StateChange change) {
        if (change instanceof StateChange.Hydrate first && !connected && sent.isEmpty()) {
            first.state().flags().forEach(this::remember);
            connected = true;
            return Optional.of(ServerSentEvent.builder(first.state().hydration()).event(CONNECTED)
                    .id(String.valueOf(eventId())).build());
        }
        if (change instanceof StateChange.Hydrate first) {
            return Optional.of(hydration(first.state().flags()));
        }
        if (change instanceof StateChange.FullState full) {
            return Optional.of(hydration(full.flags()));
        }
        StateChange.FlagUpdated updated = (StateChange.FlagUpdated) change;
        // before the first hydration there is nothing to update; the hydration will carry it
        if (!connected) {
            remember(updated.state());
            return Optional.empty();
        }
        return featureUpdated(updated);
    }

    private ServerSentEvent<String> hydration(List<FlagState> flags) {
        // flags are never deleted, so what a newer update told the SDK stays even if this list is older
        flags.forEach(this::remember);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "hydration");
        event.put("eventId", eventId());
        event.put("features", sent.values().stream().map(UnleashFeature::of).toList());
        event.put("segments", List.of());
        String name = connected ? UPDATED : CONNECTED;
        connected = true;
        return sse(name, event);
    }

    private Optional<ServerSentEvent<String>> featureUpdated(StateChange.FlagUpdated updated) {
        if (!remember(updated.state())) {
            return Optional.empty();
        }
        long id = eventId();
        return Optional.of(ServerSentEvent.builder(updated.event().data(id, json)).event(UPDATED)
                .id(String.valueOf(id)).build());
    }

    /** Keeps the state if it is newer than what was sent; says whether it was. */
    private boolean remember(FlagState state) {
        FlagState known = sent.get(state.name());
        if (known != null && known.revision() >= state.revision()) {
            return false;
        }
        sent.put(state.name(), state);
        return true;
    }

    /**
     * The {@code data} of one state's feature-updated event. Only {@code eventId} depends on the stream (what it
     * was sent before); streams that were sent the same states share it, so a change is serialised once for all of
     * them: the feature once per state, the whole event once per distinct {@code eventId}. Thread-safe.
     */
    static final class FeatureUpdate {

        private record Data(long eventId, String data) {
        }

        private final FlagState state;
        private volatile String feature;
        private volatile Data last;

        FeatureUpdate(FlagState state) {
            this.state = state;
        }

        String data(long eventId, JsonMapper json) {
            Data kept = last;
            if (kept != null && kept.eventId() == eventId) {
                return kept.data();
            }
            String featureJson = feature;
            if (featureJson == null) {
                featureJson = json.writeValueAsString(UnleashFeature.of(state));
                feature = featureJson;
            }
            // what Jackson writes for {"events":[{"type":…,"eventId":…,"feature":…}]}, without serialising again
            String data = "{\"events\":[{\"type\":\"feature-updated\",\"eventId\":" + eventId + ",\"feature\":"
                    + featureJson + "}]}";
            last = new Data(eventId, data);
            return data;
        }
    }

    private long eventId() {
        return sent.values().stream().mapToLong(FlagState::revision).sum();
    }

    private ServerSentEvent<String> sse(String name, Map<String, Object> event) {
        long id = (Long) event.get("eventId");
        return ServerSentEvent.builder(json.writeValueAsString(Map.of("events", List.of(event))))
                .event(name).id(String.valueOf(id)).build();
    }
}
