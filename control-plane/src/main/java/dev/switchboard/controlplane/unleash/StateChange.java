package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.flags.FlagState;
import java.util.List;

/** What a stream learns after connecting: one flag's new state, or everything again after a resync. */
sealed interface StateChange {

    /**
     * One flag changed; {@code state} is what was committed, or what the database held when the change was heard
     * (maybe newer). {@code event} is its feature-updated event, serialised once for every stream that sends it.
     */
    record FlagUpdated(FlagState state, ClientStream.FeatureUpdate event) implements StateChange {
        FlagUpdated(FlagState state) {
            this(state, new ClientStream.FeatureUpdate(state));
        }
    }

    /** The state a stream starts from, shared by every stream (its first hydration document is built once). */
    record Hydrate(ClientState state) implements StateChange {
    }

    /** Every flag, loaded after the change listener (re)connected: changes may have been missed meanwhile. */
    record FullState(List<FlagState> flags) implements StateChange {
        public FullState {
            flags = List.copyOf(flags);
        }
    }
}
