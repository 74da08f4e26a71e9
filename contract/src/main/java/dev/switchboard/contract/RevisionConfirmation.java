package dev.switchboard.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v1/router-confirmations}: a router's word that it now decides a flag with one
 * revision, sent as soon as its SDK applied that revision, and repeated as a heartbeat so the control plane knows
 * which routers are alive. Times are the router's own clock (epoch instants, microsecond precision); the control
 * plane bounds them by its own clock before it derives a delay from them. {@link #check} is the one place that
 * says what a valid confirmation is.
 *
 * @param routerId        the router (a router token may only confirm for the router it is bound to)
 * @param flag            the flag the router decides with
 * @param revision        the revision its flag engine now holds
 * @param appliedAt       when the engine took that revision (the moment decisions switched)
 * @param receivedAt      when the state arrived at the router (the stream event or poll answer), if known
 * @param firstDecisionAt when the router first decided a call on that revision, once it has
 * @param source          where the revision came from: {@code stream}, {@code poll}, {@code backup}
 * @param sentAt          when this confirmation was sent (a heartbeat repeats the others unchanged)
 */
public record RevisionConfirmation(String routerId, String flag, Long revision, Instant appliedAt,
                                   Instant receivedAt, Instant firstDecisionAt, String source, Instant sentAt) {

    public static final String PATH = "/api/v1/router-confirmations";
    public static final List<String> SOURCES = List.of("stream", "poll", "backup");
    /** How far a router's clock may be from the control plane's. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** The broken rules of a confirmation, empty when it is valid. */
    public static List<Violation> check(RevisionConfirmation c, Instant now) {
        List<Violation> v = new ArrayList<>();
        if (c == null) {
            v.add(new Violation("body", "required", "must be a confirmation object"));
            return v;
        }
        if (!Identifiers.validRouterId(c.routerId())) {
            v.add(new Violation("routerId", "format", Identifiers.ROUTER_ID_RULE));
        }
        if (!Identifiers.validFlag(c.flag())) {
            v.add(new Violation("flag", "format", Identifiers.FLAG_RULE));
        }
        if (c.revision() == null || c.revision() < 1) {
            v.add(new Violation("revision", "range", "must be a revision of at least 1"));
        }
        if (c.source() == null || !SOURCES.contains(c.source())) {
            v.add(new Violation("source", "enum", "must be one of " + SOURCES));
        }
        if (c.sentAt() == null) {
            v.add(new Violation("sentAt", "required", "is required (ISO-8601 instant)"));
        } else if (Duration.between(c.sentAt(), now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            v.add(new Violation("sentAt", "clock-skew", "must be within " + MAX_CLOCK_SKEW.toMinutes()
                    + " minutes of the control plane's clock"));
        }
        if (c.appliedAt() == null) {
            v.add(new Violation("appliedAt", "required", "is required (ISO-8601 instant)"));
        }
        notAfterSent(v, "appliedAt", c.appliedAt(), c.sentAt());
        notAfterSent(v, "receivedAt", c.receivedAt(), c.sentAt());
        notAfterSent(v, "firstDecisionAt", c.firstDecisionAt(), c.sentAt());
        if (c.appliedAt() != null && c.receivedAt() != null && c.receivedAt().isAfter(c.appliedAt())) {
            v.add(new Violation("receivedAt", "order", "must not be after appliedAt"));
        }
        if (c.appliedAt() != null && c.firstDecisionAt() != null && c.firstDecisionAt().isBefore(c.appliedAt())) {
            v.add(new Violation("firstDecisionAt", "order", "must not be before appliedAt"));
        }
        return v;
    }

    private static void notAfterSent(List<Violation> v, String field, Instant value, Instant sentAt) {
        if (value != null && sentAt != null && value.isAfter(sentAt)) {
            v.add(new Violation(field, "order", "must not be after sentAt"));
        }
    }
}
