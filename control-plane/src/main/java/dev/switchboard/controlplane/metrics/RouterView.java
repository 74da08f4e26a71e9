package dev.switchboard.controlplane.metrics;

import java.time.Instant;
import java.util.Map;

/** A router instance as last heard from, with the flag revisions it decides with. */
public record RouterView(String routerId, String version, Instant lastSeen, Map<String, Long> flagRevisions,
                         boolean stale) {
}
