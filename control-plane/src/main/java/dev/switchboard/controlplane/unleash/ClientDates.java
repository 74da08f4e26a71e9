package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.errors.InvalidInput;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** ISO-8601 instants from SDK bodies ({@code 2025-01-31T10:00:00.123Z}, with or without an offset). */
final class ClientDates {

    private ClientDates() {
    }

    static Optional<Instant> optional(String field, String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(required(field, value));
    }

    static Instant required(String field, String value) {
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidInput(field, "date-time", "must be an ISO-8601 date-time such as 2025-01-31T10:00:00Z");
        }
    }
}
