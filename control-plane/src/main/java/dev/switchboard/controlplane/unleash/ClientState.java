package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.flags.FlagState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every flag as loaded at one change-feed sequence, with the documents SDKs ask for built from it once and
 * kept: the features payload per scope (project and name prefix), each single feature, the first hydration
 * of a stream. Immutable apart from those memoised documents; one instance serves every request until the
 * next change.
 */
final class ClientState {

    /** Name filters are chosen by clients; past this many distinct ones, answers are built but not kept. */
    static final int MAX_SCOPES = 64;

    /** What a features request selects: Unleash's {@code project} and {@code namePrefix} query parameters. */
    record Scope(boolean ourProject, String namePrefix) {
        static final Scope ALL = new Scope(true, "");

        static Scope of(boolean ourProject, String namePrefix) {
            return ourProject && namePrefix.isEmpty() ? ALL : new Scope(ourProject, namePrefix);
        }
    }

    private final long sequence;
    private final List<FlagState> flags;
    private final Map<String, FlagState> byName;
    private final JsonMapper json;
    private final Map<Scope, ClientFeatures> payloads = new ConcurrentHashMap<>();
    private final Map<String, byte[]> singles = new ConcurrentHashMap<>();
    private volatile String hydration;

    ClientState(long sequence, List<FlagState> flags, JsonMapper json) {
        this.sequence = sequence;
        this.flags = List.copyOf(flags);
        Map<String, FlagState> named = new LinkedHashMap<>();
        this.flags.forEach(flag -> named.put(flag.name(), flag));
        this.byName = Map.copyOf(named);
        this.json = json;
    }

    long sequence() {
        return sequence;
    }

    List<FlagState> flags() {
        return flags;
    }

    /** The features payload and its ETag for this scope, built on first use. */
    ClientFeatures features(Scope scope) {
        ClientFeatures kept = payloads.get(scope);
        if (kept != null) {
            return kept;
        }
        ClientFeatures built = ClientFeatures.of(flags.stream()
                .filter(flag -> scope.ourProject() && flag.name().startsWith(scope.namePrefix())).toList(), json);
        if (payloads.size() < MAX_SCOPES) {
            payloads.putIfAbsent(scope, built);
        }
        return built;
    }

    /** One feature as {@code GET /api/client/features/{name}} serves it. */
    Optional<byte[]> feature(String name) {
        FlagState flag = byName.get(name);
        if (flag == null) {
            return Optional.empty();
        }
        return Optional.of(singles.computeIfAbsent(name, n -> json.writeValueAsBytes(UnleashFeature.of(flag))));
    }

    /** The {@code data} of a first hydration event built from this state alone (see {@link ClientStream}). */
    String hydration() {
        String kept = hydration;
        if (kept == null) {
            kept = ClientStream.hydrationData(flags, json);
            hydration = kept;
        }
        return kept;
    }
}
