package dev.switchboard.controlplane.flags;

import java.time.OffsetDateTime;

/** A restorable state of a flag, taken at every revision. */
public record Snapshot(long id, String flag, long revision, FlagState.Settings state, OffsetDateTime createdAt,
                       String createdBy, String reason) {
}
