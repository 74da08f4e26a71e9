package dev.switchboard.controlplane.alerts;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alerts and their outbox. Everything here runs inside the caller's transaction (the guard's verdict), so an
 * alert exists if and only if its messages are queued. Within the cooldown a repeated alert key is queued as
 * {@code suppressed}: recorded, never sent.
 */
@Repository
public class AlertStore {

    /** An unresolved alert as the guard needs it to resolve it. */
    public record OpenAlert(long id, String severity, String rule, String dedupKey, String explanation, int episode,
                            Optional<String> tenant) {
    }

    /** One claimed outbox row. */
    public record Delivery(long id, Long alertId, String sink, String kind, String payload, int attempts) {
    }

    /**
     * The rule of the alert a router raises by deciding on an older revision than the flag's. It stands outside the
     * guard's episodes: the guard's scope of a flag (its episode numbers, what it resolves or supersedes) is every
     * other alert of that flag and tenant, so a router warning neither takes the guard's episode nor is closed by the
     * guard's verdicts; it is resolved by the router's own confirmation.
     */
    public static final String ROUTER_STALE = "router-stale";

    /** The guard's scope: every alert but those outside its episodes. */
    private static final String GUARD_SCOPE = "rule <> '" + ROUTER_STALE + "'";

    private final DatabaseClient db;
    private final JsonMapper json;
    private final AlertProperties properties;

    AlertStore(DatabaseClient db, JsonMapper json, AlertProperties properties) {
        this.db = db;
        this.json = json;
        this.properties = properties;
    }

    /**
     * The episode a new alert of this scope belongs to: the one of an alert still open (a warning escalating to
     * critical is the same episode), else one more than the last episode of the scope.
     */
    public Mono<Integer> episodeFor(String flag, Optional<String> tenant) {
        var spec = db.sql("SELECT coalesce((SELECT max(episode) FROM guard_alerts WHERE flag_name = :flag "
                        + "AND tenant_id IS NOT DISTINCT FROM :tenant::text AND status = 'open' AND " + GUARD_SCOPE + "), "
                        + "(SELECT coalesce(max(episode), 0) + 1 FROM guard_alerts WHERE flag_name = :flag "
                        + "AND tenant_id IS NOT DISTINCT FROM :tenant::text AND " + GUARD_SCOPE + ")) AS episode")
                .bind("flag", flag);
        spec = tenant.isPresent() ? spec.bind("tenant", tenant.get()) : spec.bindNull("tenant", String.class);
        return spec.map((row, meta) -> row.get("episode", Integer.class)).one();
    }

    /** An alert outside the guard's episodes (e.g. a router behind on revisions): episode 1. */
    public Mono<Long> insertAlert(String flag, Optional<String> tenant, String severity, String rule, String dedupKey,
                                  String explanation, Long verdictId, String action, Instant at) {
        return insertAlert(flag, tenant, severity, rule, dedupKey, explanation, verdictId, action, at, 1);
    }

    public Mono<Long> insertAlert(String flag, Optional<String> tenant, String severity, String rule, String dedupKey,
                                  String explanation, Long verdictId, String action, Instant at, int episode) {
        var spec = db.sql("INSERT INTO guard_alerts (flag_name, tenant_id, severity, rule, dedup_key, explanation, "
                        + "verdict_id, action_taken, raised_at, episode) VALUES (:flag, :tenant, :severity, :rule, :dedup, "
                        + ":explanation, :verdict, :action, :at, :episode) RETURNING id")
                .bind("episode", episode)
                .bind("flag", flag).bind("severity", severity).bind("rule", rule).bind("dedup", dedupKey)
                .bind("explanation", explanation).bind("action", action).bind("at", at.atOffset(ZoneOffset.UTC));
        spec = tenant.isPresent() ? spec.bind("tenant", tenant.get()) : spec.bindNull("tenant", String.class);
        spec = verdictId != null ? spec.bind("verdict", verdictId) : spec.bindNull("verdict", Long.class);
        return spec.map((row, meta) -> row.get("id", Long.class)).one();
    }

    /** Queues one message; suppressed when the same key was queued (and not suppressed) within the cooldown. */
    public Mono<Void> enqueue(Long alertId, String flag, String sink, String kind, String alertKey,
                              Map<String, Object> payload, boolean cooldownApplies) {
        var spec = db.sql("INSERT INTO alert_deliveries (alert_id, flag_name, sink, kind, alert_key, payload, state) "
                        + "VALUES (:alert, :flag, :sink, :kind, :key, :payload::jsonb, CASE WHEN :cooldown AND EXISTS ("
                        + "SELECT 1 FROM alert_deliveries WHERE sink = :sink AND alert_key = :key AND state <> 'suppressed' "
                        + "AND created_at > now() - make_interval(secs => :seconds)) THEN 'suppressed' ELSE 'pending' END)")
                .bind("flag", flag).bind("sink", sink).bind("kind", kind).bind("key", alertKey)
                .bind("payload", Json.of(json.writeValueAsString(payload))).bind("cooldown", cooldownApplies)
                .bind("seconds", (double) properties.cooldown().toSeconds());
        spec = alertId != null ? spec.bind("alert", alertId) : spec.bindNull("alert", Long.class);
        return spec.then();
    }

    /** Marks the unresolved (open or mitigated) alerts of one guard scope resolved and returns them. */
    public Flux<OpenAlert> resolve(String flag, Optional<String> tenant, Instant at, String resolution) {
        var spec = db.sql("UPDATE guard_alerts SET status = 'resolved', resolved_at = :at, resolution = :resolution "
                        + "WHERE flag_name = :flag AND status <> 'resolved' AND tenant_id IS NOT DISTINCT FROM :tenant::text "
                        + "AND " + GUARD_SCOPE + " RETURNING id, severity, rule, dedup_key, explanation, episode, tenant_id")
                .bind("flag", flag).bind("at", at.atOffset(ZoneOffset.UTC)).bind("resolution", resolution);
        spec = tenant.isPresent() ? spec.bind("tenant", tenant.get()) : spec.bindNull("tenant", String.class);
        return spec.map(AlertStore::openAlert).all();
    }

    /** Resolves one alert (if not yet resolved) and returns it. */
    public Mono<OpenAlert> resolveOne(long id, Instant at, String resolution) {
        return db.sql("UPDATE guard_alerts SET status = 'resolved', resolved_at = :at, resolution = :resolution "
                        + "WHERE id = :id AND status <> 'resolved' "
                        + "RETURNING id, severity, rule, dedup_key, explanation, episode, tenant_id")
                .bind("id", id).bind("at", at.atOffset(ZoneOffset.UTC)).bind("resolution", resolution)
                .map(AlertStore::openAlert).one();
    }

    /** The unresolved alerts of one rule on a flag, oldest first. */
    public Flux<OpenAlert> unresolved(String flag, String rule) {
        return db.sql("SELECT id, severity, rule, dedup_key, explanation, episode, tenant_id FROM guard_alerts "
                        + "WHERE flag_name = :flag AND rule = :rule AND status <> 'resolved' ORDER BY id")
                .bind("flag", flag).bind("rule", rule).map(AlertStore::openAlert).all();
    }

    /** The flags with an unresolved alert of this rule. */
    public Flux<String> flagsWithUnresolved(String rule) {
        return db.sql("SELECT DISTINCT flag_name FROM guard_alerts WHERE rule = :rule AND status <> 'resolved'")
                .bind("rule", rule).map((row, meta) -> row.get("flag_name", String.class)).all();
    }

    /** The scope's alert is mitigated: its rollback committed. */
    public Mono<Void> mitigate(long id, Instant at) {
        return db.sql("UPDATE guard_alerts SET status = 'mitigated', mitigated_at = :at WHERE id = :id AND status = 'open'")
                .bind("id", id).bind("at", at.atOffset(ZoneOffset.UTC)).then();
    }

    /** Unresolved critical alerts of a flag (tenant empty = the flag's own), oldest first. */
    public Flux<OpenAlert> unresolvedCritical(String flag) {
        return db.sql("SELECT id, severity, rule, dedup_key, explanation, episode, tenant_id FROM guard_alerts "
                        + "WHERE flag_name = :flag AND status <> 'resolved' AND severity = 'critical' ORDER BY id")
                .bind("flag", flag).map(AlertStore::openAlert).all();
    }

    private static OpenAlert openAlert(Readable row, Object meta) {
        return new OpenAlert(row.get("id", Long.class), row.get("severity", String.class),
                row.get("rule", String.class), row.get("dedup_key", String.class),
                row.get("explanation", String.class), row.get("episode", Integer.class),
                Optional.ofNullable(row.get("tenant_id", String.class)));
    }

    public Mono<Boolean> hasOpenCritical(String flag) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM guard_alerts WHERE flag_name = :flag AND status <> 'resolved' "
                        + "AND severity = 'critical' AND acknowledged_at IS NULL) AS open")
                .bind("flag", flag).map((row, meta) -> row.get("open", Boolean.class)).one();
    }

    // ---- delivery worker side ----

    /**
     * Claims due messages. {@code SKIP LOCKED} lets several workers (replicas) share the queue without taking
     * the same row; a message is only due when no earlier message of the same flag and sink is still pending,
     * so a resolve never overtakes its trigger.
     */
    public Flux<Delivery> claim(int limit) {
        return db.sql("UPDATE alert_deliveries d SET claimed_until = now() + make_interval(secs => :claim), "
                        + "attempts = d.attempts + 1 WHERE d.id IN (SELECT x.id FROM alert_deliveries x "
                        + "WHERE x.state = 'pending' AND x.next_attempt_at <= now() "
                        + "AND (x.claimed_until IS NULL OR x.claimed_until < now()) "
                        + "AND NOT EXISTS (SELECT 1 FROM alert_deliveries y WHERE y.flag_name = x.flag_name "
                        + "AND y.sink = x.sink AND y.state = 'pending' AND y.id < x.id) "
                        + "ORDER BY x.id LIMIT :limit FOR UPDATE SKIP LOCKED) "
                        + "RETURNING d.id, d.alert_id, d.sink, d.kind, d.payload, d.attempts")
                .bind("claim", (double) properties.claimTimeout().toSeconds()).bind("limit", limit)
                .map((row, meta) -> new Delivery(row.get("id", Long.class), row.get("alert_id", Long.class),
                        row.get("sink", String.class), row.get("kind", String.class),
                        row.get("payload", Json.class).asString(), row.get("attempts", Integer.class)))
                .all();
    }

    /** Deliveries still waiting in the outbox (due now or retrying later), over every replica: the backlog. */
    public Mono<Long> pendingCount() {
        return db.sql("SELECT count(*) AS n FROM alert_deliveries WHERE state = 'pending'")
                .map((row, meta) -> row.get("n", Long.class)).one();
    }

    public Mono<Void> delivered(long id) {
        return db.sql("UPDATE alert_deliveries SET state = 'delivered', delivered_at = now(), claimed_until = NULL, "
                + "last_error = NULL WHERE id = :id AND state = 'pending'").bind("id", id).then();
    }

    public Mono<Void> failed(long id, String error) {
        return db.sql("UPDATE alert_deliveries SET state = 'failed', claimed_until = NULL, last_error = :error "
                + "WHERE id = :id AND state = 'pending'").bind("id", id).bind("error", cut(error)).then();
    }

    public Mono<Void> retryLater(long id, Duration after, String error) {
        return db.sql("UPDATE alert_deliveries SET next_attempt_at = now() + make_interval(secs => :after), "
                        + "claimed_until = NULL, last_error = :error WHERE id = :id AND state = 'pending'")
                .bind("id", id).bind("after", after.toMillis() / 1000.0).bind("error", cut(error)).then();
    }

    // ---- board ----

    public Flux<AlertView> list(Optional<String> flag, boolean openOnly, int limit) {
        String sql = "SELECT a.*, (SELECT jsonb_object_agg(sink, state) FROM (SELECT DISTINCT ON (sink) sink, state "
                + "FROM alert_deliveries d WHERE d.alert_id = a.id ORDER BY sink, id) s) AS delivery "
                + "FROM guard_alerts a WHERE (:flag::text IS NULL OR a.flag_name = :flag) "
                + (openOnly ? "AND a.status = 'open' " : "") + "ORDER BY a.id DESC LIMIT :limit";
        var spec = db.sql(sql).bind("limit", limit);
        spec = flag.isPresent() ? spec.bind("flag", flag.get()) : spec.bindNull("flag", String.class);
        return spec.map(this::view).all();
    }

    public Mono<AlertView> find(long id) {
        return db.sql("SELECT a.*, (SELECT jsonb_object_agg(sink, state) FROM (SELECT DISTINCT ON (sink) sink, state "
                        + "FROM alert_deliveries d WHERE d.alert_id = a.id ORDER BY sink, id) s) AS delivery "
                        + "FROM guard_alerts a WHERE a.id = :id")
                .bind("id", id).map(this::view).one();
    }

    /**
     * The alert an outside incident refers to: by the de-duplication key the incident was raised with (the open
     * alert of that key first, then the newest), else by the alert id named in its title; empty when neither is known.
     */
    public Mono<Long> idForIncident(String dedupKey, Optional<Long> titledId) {
        Mono<Long> byKey = dedupKey.isBlank() ? Mono.empty()
                : db.sql("SELECT id FROM guard_alerts WHERE dedup_key = :key ORDER BY (status = 'open') DESC, id DESC "
                        + "LIMIT 1").bind("key", dedupKey).map((row, meta) -> row.get("id", Long.class)).one();
        Mono<Long> byTitle = titledId.map(id -> db.sql("SELECT id FROM guard_alerts WHERE id = :id").bind("id", id)
                .map((row, meta) -> row.get("id", Long.class)).one()).orElse(Mono.empty());
        return byKey.switchIfEmpty(byTitle);
    }

    public Mono<String> dedupKey(long id) {
        return db.sql("SELECT dedup_key FROM guard_alerts WHERE id = :id").bind("id", id)
                .map((row, meta) -> row.get("dedup_key", String.class)).one();
    }

    public Mono<Long> acknowledge(long id, String by) {
        return db.sql("UPDATE guard_alerts SET acknowledged_at = coalesce(acknowledged_at, now()), "
                        + "acknowledged_by = coalesce(acknowledged_by, :by) WHERE id = :id")
                .bind("id", id).bind("by", by).fetch().rowsUpdated();
    }

    private AlertView view(Readable row, Object meta) {
        Map<String, String> delivery = new LinkedHashMap<>();
        Json d = row.get("delivery", Json.class);
        if (d != null) {
            json.readTree(d.asString()).properties().forEach(e -> delivery.put(e.getKey(), e.getValue().asString()));
        }
        OffsetDateTime ack = row.get("acknowledged_at", OffsetDateTime.class);
        return new AlertView(row.get("id", Long.class), row.get("flag_name", String.class),
                Optional.ofNullable(row.get("tenant_id", String.class)), row.get("severity", String.class),
                row.get("rule", String.class), row.get("explanation", String.class), row.get("status", String.class),
                row.get("raised_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(ack).map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.get("acknowledged_by", String.class)), delivery,
                row.get("episode", Integer.class),
                Optional.ofNullable(row.get("mitigated_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.get("resolved_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                Optional.ofNullable(row.get("resolution", String.class)), row.get("dedup_key", String.class));
    }

    private static String cut(String s) {
        return s == null ? null : s.length() > 2000 ? s.substring(0, 2000) : s;
    }
}
