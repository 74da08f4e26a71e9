package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.flags.FlagState;
import java.util.List;

/** What a stream learns after connecting: one flag's new state, or everything again after a resync. */
sealed interface StateChange {

    /** One flag changed; {@code state} is what the database held when the change was heard (maybe newer). */
    record FlagUpdated(FlagState state) implements StateChange {
    }

    /** Every flag, loaded after the change listener (re)connected: changes may have been missed meanwhile. */
    record FullState(List<FlagState> flags) implements StateChange {
        public FullState {
            flags = List.copyOf(flags);
        }
    }
}
