package dev.switchboard.controlplane.confirmations;

import dev.switchboard.contract.RevisionConfirmation;
import dev.switchboard.controlplane.alerts.AlertStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Router confirmations and completed revisions, in PostgreSQL (the stale-router alerts are the alert store's). */
@Repository
class ConfirmationStore {

    /** One router's row for one flag. */
    record Row(String routerId, long revision, String source, Instant appliedAt, Instant receivedAt,
               Instant firstDecisionAt, Instant confirmedAt, Instant lastSeen) {
    }

    static final String STALE_RULE = AlertStore.ROUTER_STALE;

    private final DatabaseClient db;

    ConfirmationStore(DatabaseClient db) {
        this.db = db;
    }

    /** Serialises confirmation work on one flag across replicas until the transaction ends. */
    Mono<Void> lock(String flag) {
        return db.sql("SELECT pg_advisory_xact_lock(hashtext('switchboard-confirmations:' || :flag))")
                .bind("flag", flag).map((row, meta) -> 1).first().then();
    }

    /**
     * Records a confirmation. The same revision again (a heartbeat, the first decision, a restart from backup)
     * keeps when it was first applied and heard and only fills what was missing; another revision replaces the row.
     * Returns the revision the router's row held before, or -1 for a router new to this flag.
     */
    Mono<Long> upsert(RevisionConfirmation c, Instant now) {
        var spec = db.sql("WITH before AS (SELECT revision FROM router_confirmations WHERE router_id = :router AND "
                        + "flag_name = :flag) "
                        + "INSERT INTO router_confirmations AS c (router_id, flag_name, revision, source, applied_at, "
                        + "received_at, first_decision_at, confirmed_at, last_seen) VALUES (:router, :flag, :revision, "
                        + ":source, :applied, :received, :first, :now, :now) ON CONFLICT (router_id, flag_name) DO UPDATE SET "
                        + "last_seen = EXCLUDED.last_seen, "
                        + "source = CASE WHEN c.revision = EXCLUDED.revision THEN c.source ELSE EXCLUDED.source END, "
                        + "applied_at = CASE WHEN c.revision = EXCLUDED.revision THEN c.applied_at ELSE EXCLUDED.applied_at END, "
                        + "received_at = CASE WHEN c.revision = EXCLUDED.revision THEN COALESCE(c.received_at, "
                        + "EXCLUDED.received_at) ELSE EXCLUDED.received_at END, "
                        + "first_decision_at = CASE WHEN c.revision = EXCLUDED.revision THEN COALESCE(c.first_decision_at, "
                        + "EXCLUDED.first_decision_at) ELSE EXCLUDED.first_decision_at END, "
                        + "confirmed_at = CASE WHEN c.revision = EXCLUDED.revision THEN c.confirmed_at ELSE EXCLUDED.confirmed_at END, "
                        + "revision = EXCLUDED.revision "
                        + "RETURNING COALESCE((SELECT revision FROM before), -1) AS previous")
                .bind("router", c.routerId()).bind("flag", c.flag()).bind("revision", c.revision())
                .bind("source", c.source()).bind("applied", utc(c.appliedAt())).bind("now", utc(now));
        spec = c.receivedAt() == null ? spec.bindNull("received", OffsetDateTime.class) : spec.bind("received", utc(c.receivedAt()));
        spec = c.firstDecisionAt() == null ? spec.bindNull("first", OffsetDateTime.class) : spec.bind("first", utc(c.firstDecisionAt()));
        return spec.map((row, meta) -> row.get("previous", Long.class)).one();
    }

    /** Flags some router confirmed since {@code since}. */
    Flux<String> confirmedFlags(Instant since) {
        return db.sql("SELECT DISTINCT flag_name FROM router_confirmations WHERE last_seen >= :since")
                .bind("since", utc(since)).map((row, meta) -> row.get("flag_name", String.class)).all();
    }

    /** The routers heard from since {@code since} about this flag. */
    Flux<Row> rows(String flag, Instant since) {
        return db.sql("SELECT router_id, revision, source, applied_at, received_at, first_decision_at, confirmed_at, "
                        + "last_seen FROM router_confirmations WHERE flag_name = :flag AND last_seen >= :since ORDER BY router_id")
                .bind("flag", flag).bind("since", utc(since))
                .map((row, meta) -> new Row(row.get("router_id", String.class), row.get("revision", Long.class),
                        row.get("source", String.class), instant(row.get("applied_at", OffsetDateTime.class)),
                        instant(row.get("received_at", OffsetDateTime.class)),
                        instant(row.get("first_decision_at", OffsetDateTime.class)),
                        instant(row.get("confirmed_at", OffsetDateTime.class)),
                        instant(row.get("last_seen", OffsetDateTime.class))))
                .all();
    }

    /** Records a completed revision once; true when this call recorded it. */
    Mono<Boolean> recordComplete(String flag, FlagConfirmation c) {
        var spec = db.sql("INSERT INTO flag_revision_confirmations (flag_name, revision, changed_at, complete_at, delay_ms, "
                        + "routers, slowest_router) VALUES (:flag, :revision, :changed, :complete, :delay, :routers, :slowest) "
                        + "ON CONFLICT DO NOTHING RETURNING revision")
                .bind("flag", flag).bind("revision", c.revision()).bind("changed", utc(c.changedAt()))
                .bind("complete", utc(c.completeAt())).bind("delay", c.slowestDelayMs() == null ? 0.0 : c.slowestDelayMs())
                .bind("routers", c.routers());
        spec = c.slowestRouter() == null ? spec.bindNull("slowest", String.class) : spec.bind("slowest", c.slowestRouter());
        return spec.map((row, meta) -> row.get("revision", Long.class)).one().hasElement();
    }

    static String dedupKey(String flag, String routerId) {
        return "switchboard/" + flag + "/" + STALE_RULE + "/" + routerId;
    }

    /** The router a stale-router alert is about, from its dedup key. */
    static String routerOf(String dedupKey) {
        int i = dedupKey.indexOf("/" + STALE_RULE + "/");
        return i < 0 ? dedupKey : dedupKey.substring(i + STALE_RULE.length() + 2);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
