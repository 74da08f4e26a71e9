package dev.switchboard.controlplane.metrics;

import java.time.Instant;
import java.util.Map;

/**
 * A router instance as last heard from, with the flag revisions it decides with.
 *
 * @param lastSeen    its last accepted metric window (null: none yet)
 * @param flagStateAgeSeconds how old the flag state it decides on was at that window, seconds (0: its stream or
 *                    poll reached the control plane; null: never confirmed, or not reported)
 * @param stale       no accepted window for longer than the stale time
 * @param sdkLastSeen its Unleash SDK's last heartbeat (register or metrics), null when unknown
 * @param blind       live (SDK heartbeat within the live time) but its windows stopped arriving or are refused:
 *                    the guard cannot see its traffic
 */
public record RouterView(String routerId, String version, Instant lastSeen, Map<String, Long> flagRevisions,
                         Long flagStateAgeSeconds, boolean stale, Instant sdkLastSeen, boolean blind) {
}
