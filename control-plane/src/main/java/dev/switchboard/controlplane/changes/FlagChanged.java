package dev.switchboard.controlplane.changes;

import java.util.Optional;

/**
 * A committed flag change heard on the notification channel. An empty flag means "resynchronise everything":
 * it is sent after (re)connecting, because notifications sent while disconnected are lost.
 */
public record FlagChanged(Optional<String> flag, long revision) {

    public static FlagChanged resync() {
        return new FlagChanged(Optional.empty(), -1);
    }

    static FlagChanged parse(String payload) {
        int colon = payload.lastIndexOf(':');
        if (colon <= 0) {
            return resync();
        }
        try {
            return new FlagChanged(Optional.of(payload.substring(0, colon)), Long.parseLong(payload.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return resync();
        }
    }
}
