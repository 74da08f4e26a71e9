package dev.switchboard.controlplane.audit;

import io.r2dbc.postgresql.codec.Json;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Writes audit events (inside the caller's transaction) and reads them back with filters. */
@Repository
public class AuditLog {

    private final DatabaseClient db;
    private final JsonMapper json;

    AuditLog(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Long> append(AuditEvent event) {
        var spec = db.sql("INSERT INTO audit_events (actor, actor_role, action, flag_name, tenant_id, before_state, "
                        + "after_state, reason, request_id) VALUES (:actor, :role, :action, :flag, :tenant, :before, "
                        + ":after, :reason, :requestId) RETURNING id")
                .bind("actor", event.actor())
                .bind("action", event.action())
                .bind("reason", event.reason() == null ? "" : event.reason());
        spec = bindNullable(spec, "role", event.actorRole(), String.class);
        spec = bindNullable(spec, "flag", event.flag(), String.class);
        spec = bindNullable(spec, "tenant", event.tenantId(), String.class);
        spec = bindNullable(spec, "requestId", event.requestId(), String.class);
        spec = bindNullable(spec, "before", toJson(event.before()), Json.class);
        spec = bindNullable(spec, "after", toJson(event.after()), Json.class);
        return spec.map((row, meta) -> row.get("id", Long.class)).one();
    }

    /**
     * The newest event of {@code flag} whose after-state is {@code revision} (the change that made that revision),
     * leaving out events of {@code exceptAction} (events that only speak of a revision, such as its confirmation).
     */
    public Mono<Long> eventLeavingRevision(String flag, long revision, String exceptAction) {
        return db.sql("SELECT id FROM audit_events WHERE flag_name = :flag AND action <> :except "
                        + "AND after_state ->> 'revision' = :revision ORDER BY id DESC LIMIT 1")
                .bind("flag", flag).bind("except", exceptAction).bind("revision", Long.toString(revision))
                .map((row, meta) -> row.get("id", Long.class)).one();
    }

    public Flux<AuditEvent> find(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, actor_role, action, flag_name, tenant_id, "
                + "before_state, after_state, reason, request_id FROM audit_events WHERE true");
        List<Object[]> binds = new ArrayList<>();
        query.flag().ifPresent(v -> add(sql, binds, " AND flag_name = :flag", "flag", v));
        query.tenant().ifPresent(v -> add(sql, binds, " AND tenant_id = :tenant", "tenant", v));
        query.actor().ifPresent(v -> add(sql, binds, " AND actor = :actor", "actor", v));
        query.action().ifPresent(v -> add(sql, binds, " AND action = :action", "action", v));
        query.since().ifPresent(v -> add(sql, binds, " AND at >= :since", "since", v));
        query.until().ifPresent(v -> add(sql, binds, " AND at < :until", "until", v));
        query.before().ifPresent(v -> add(sql, binds, " AND id < :before", "before", v));
        sql.append(" ORDER BY id DESC LIMIT :limit");
        var spec = db.sql(sql.toString()).bind("limit", query.limit());
        for (Object[] b : binds) {
            spec = spec.bind((String) b[0], b[1]);
        }
        return spec.map((row, meta) -> new AuditEvent(row.get("id", Long.class), row.get("at", OffsetDateTime.class),
                row.get("actor", String.class), row.get("actor_role", String.class), row.get("action", String.class),
                row.get("flag_name", String.class), row.get("tenant_id", String.class),
                fromJson(row.get("before_state", Json.class)), fromJson(row.get("after_state", Json.class)),
                row.get("reason", String.class), row.get("request_id", String.class))).all();
    }

    private static void add(StringBuilder sql, List<Object[]> binds, String clause, String name, Object value) {
        sql.append(clause);
        binds.add(new Object[] {name, value});
    }

    private static <T> DatabaseClient.GenericExecuteSpec bindNullable(DatabaseClient.GenericExecuteSpec spec,
                                                                      String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private Json toJson(Object value) {
        return value == null ? null : Json.of(json.writeValueAsString(value));
    }

    private JsonNode fromJson(Json value) {
        return value == null ? null : json.readTree(value.asString());
    }
}
