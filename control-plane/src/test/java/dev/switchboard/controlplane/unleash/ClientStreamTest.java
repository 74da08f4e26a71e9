package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.flags.FlagState;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One stream's ordering rules, without a server: never an older state after a newer one. */
class ClientStreamTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final ClientStream stream = new ClientStream(json);

    private static FlagState flag(String name, long revision, int percentage) {
        return new FlagState(name, "", true, percentage, List.of(), List.of(), revision, "canary",
                OffsetDateTime.now(), "test");
    }

    @Test
    void firstAHydrationThenOnlyNewerFeatureUpdates() {
        ServerSentEvent<String> connected = stream.next(new StateChange.FullState(
                List.of(flag("a", 3, 10), flag("b", 1, 0)))).orElseThrow();
        assertThat(connected.event()).isEqualTo("unleash-connected");
        assertThat(delta(connected).path("type").asString()).isEqualTo("hydration");
        assertThat(delta(connected).path("eventId").asLong()).isEqualTo(4);

        // heard before the hydration was loaded, so already in it
        assertThat(stream.next(new StateChange.FlagUpdated(flag("a", 3, 10)))).isEmpty();
        assertThat(stream.next(new StateChange.FlagUpdated(flag("a", 2, 5)))).isEmpty();

        ServerSentEvent<String> updated = stream.next(new StateChange.FlagUpdated(flag("a", 4, 25))).orElseThrow();
        assertThat(updated.event()).isEqualTo("unleash-updated");
        assertThat(delta(updated).path("type").asString()).isEqualTo("feature-updated");
        assertThat(delta(updated).path("eventId").asLong()).isEqualTo(5);
        assertThat(delta(updated).path("feature").path("revision").asLong()).isEqualTo(4);
        assertThat(updated.id()).isEqualTo("5");
    }

    @Test
    void aResyncSendsTheWholeStateAgainKeepingNewerFlagsItAlreadySent() {
        stream.next(new StateChange.FullState(List.of(flag("a", 3, 10))));
        stream.next(new StateChange.FlagUpdated(flag("a", 5, 50)));

        Optional<ServerSentEvent<String>> resync = stream.next(new StateChange.FullState(
                List.of(flag("a", 4, 25), flag("c", 2, 0))));

        assertThat(resync).isPresent();
        assertThat(resync.get().event()).isEqualTo("unleash-updated");
        JsonNode hydration = delta(resync.get());
        assertThat(hydration.path("type").asString()).isEqualTo("hydration");
        assertThat(hydration.path("features").size()).isEqualTo(2);
        assertThat(hydration.path("features").get(0).path("revision").asLong()).as("a stays at 5").isEqualTo(5);
        assertThat(hydration.path("features").get(1).path("name").asString()).isEqualTo("c");
        assertThat(hydration.path("eventId").asLong()).isEqualTo(7);
    }

    private JsonNode delta(ServerSentEvent<String> event) {
        JsonNode events = json.readTree(event.data()).path("events");
        assertThat(events.size()).isEqualTo(1);
        return events.get(0);
    }

    @Test
    void streamsThatWereSentTheSameStatesShareOneSerialisedEventWithJacksonsBytes() {
        ClientStream other = new ClientStream(json);
        ClientStream behind = new ClientStream(json);
        List<FlagState> start = List.of(flag("a", 3, 10), flag("b", 1, 0));
        stream.next(new StateChange.FullState(start));
        other.next(new StateChange.FullState(start));
        behind.next(new StateChange.FullState(List.of(flag("a", 2, 10), flag("b", 2, 0))));

        StateChange.FlagUpdated change = new StateChange.FlagUpdated(flag("a", 4, 25));
        ServerSentEvent<String> first = stream.next(change).orElseThrow();
        ServerSentEvent<String> second = other.next(change).orElseThrow();
        ServerSentEvent<String> third = behind.next(change).orElseThrow();

        assertThat(second.data()).as("one serialisation for streams at the same place").isSameAs(first.data());
        assertThat(delta(first).path("eventId").asLong()).isEqualTo(5);
        assertThat(delta(third).path("eventId").asLong()).as("its own eventId for a stream sent other states")
                .isEqualTo(6);
        assertThat(third.id()).isEqualTo("6");
        // byte for byte what serialising the whole event with Jackson gives
        java.util.Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("type", "feature-updated");
        event.put("eventId", 5L);
        event.put("feature", UnleashFeature.of(change.state()));
        assertThat(first.data()).isEqualTo(json.writeValueAsString(java.util.Map.of("events", List.of(event))));
    }
}
