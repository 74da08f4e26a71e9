package dev.switchboard.controlplane.audit;

import java.time.OffsetDateTime;
import java.util.Optional;

/** Filters for reading the audit log, newest first, paged by id ({@code before}: ids lower than this). */
public record AuditQuery(Optional<String> flag, Optional<String> tenant, Optional<String> actor,
                         Optional<String> action, Optional<OffsetDateTime> since, Optional<OffsetDateTime> until,
                         Optional<Long> before, int limit) {
}
