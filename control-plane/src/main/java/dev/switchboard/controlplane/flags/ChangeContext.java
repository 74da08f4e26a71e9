package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.security.Caller;
import java.util.Optional;

/**
 * Who asks for a change, why, on which revision they saw (for optimistic concurrency), and the request id
 * that ties the audit row to the logs.
 */
public record ChangeContext(Caller caller, String reason, Optional<Long> expectedRevision, Optional<String> requestId) {
}
