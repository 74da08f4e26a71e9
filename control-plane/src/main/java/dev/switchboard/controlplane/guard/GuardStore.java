package dev.switchboard.controlplane.guard;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The guard's per-flag row (policy, thresholds, analysis state) and its verdicts. */
@Repository
public class GuardStore {

    /** A flag's guard settings and the state its last evaluation left. */
    public record FlagGuard(String flag, GuardPolicy policy, boolean autoAdvance, Optional<Thresholds> thresholds,
                            GuardState state, Optional<String> lastStatus, Optional<Instant> lastVerdictAt) {
    }

    /** A stored verdict as the API shows it. */
    public record StoredVerdict(long id, String flag, Instant at, String status, String scope, Object tenants,
                                String summary, Object findings, String transition) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;
    private final GuardProperties properties;

    GuardStore(DatabaseClient db, JsonMapper json, GuardProperties properties) {
        this.db = db;
        this.json = json;
        this.properties = properties;
    }

    public Mono<Void> ensure(String flag) {
        return db.sql("INSERT INTO guard_flags (flag_name, policy) SELECT :flag, :policy WHERE EXISTS "
                        + "(SELECT 1 FROM flags WHERE name = :flag) ON CONFLICT (flag_name) DO NOTHING")
                .bind("flag", flag).bind("policy", properties.defaultPolicy()).then();
    }

    /** Where the flag's stage stands as the guard recorded it: the percentage and when it was entered. */
    public record StageMark(Optional<Integer> percentage, Optional<Instant> enteredAt) {
    }

    public Mono<StageMark> stage(String flag) {
        return db.sql("SELECT stage_percentage, stage_entered_at FROM guard_flags WHERE flag_name = :flag")
                .bind("flag", flag)
                .map((row, meta) -> new StageMark(Optional.ofNullable(row.get("stage_percentage", Integer.class)),
                        Optional.ofNullable(row.get("stage_entered_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .one();
    }

    /** Records that the flag entered the stage at {@code percentage} at {@code at} (in the caller's transaction). */
    public Mono<Void> enterStage(String flag, int percentage, Instant at) {
        return db.sql("UPDATE guard_flags SET stage_percentage = :p, stage_entered_at = :at WHERE flag_name = :flag")
                .bind("p", percentage).bind("at", at.atOffset(ZoneOffset.UTC)).bind("flag", flag).then();
    }

    /** Enabled flags below 100 % whose guard settings ask for auto-advance. */
    public Flux<String> autoAdvanceCandidates() {
        return db.sql("SELECT g.flag_name FROM guard_flags g JOIN flags f ON f.name = g.flag_name "
                        + "WHERE g.auto_advance AND f.enabled AND f.percentage < 100")
                .map((row, meta) -> row.get("flag_name", String.class)).all();
    }

    public Mono<FlagGuard> find(String flag) {
        return ensure(flag).then(db.sql("SELECT * FROM guard_flags WHERE flag_name = :flag").bind("flag", flag)
                .map((row, meta) -> read(row)).one());
    }

    /**
     * Locks the flag's row for one evaluation, unless another replica holds it or evaluated it less than
     * {@code since} ago: then this replica skips the flag this round.
     */
    public Mono<FlagGuard> lockForEvaluation(String flag, Instant notEvaluatedSince) {
        return db.sql("SELECT * FROM guard_flags WHERE flag_name = :flag AND (evaluated_at IS NULL OR "
                        + "evaluated_at < :since) FOR UPDATE SKIP LOCKED")
                .bind("flag", flag).bind("since", notEvaluatedSince.atOffset(ZoneOffset.UTC))
                .map((row, meta) -> read(row)).one();
    }

    public Mono<Void> saveState(String flag, GuardState state, Instant evaluatedAt, String status,
                                Optional<Instant> lastVerdictAt) {
        var spec = db.sql("UPDATE guard_flags SET state = :state::jsonb, evaluated_at = :at, last_status = :status, "
                        + "last_verdict_at = :verdictAt WHERE flag_name = :flag")
                .bind("flag", flag).bind("state", Json.of(json.writeValueAsString(state)))
                .bind("at", evaluatedAt.atOffset(ZoneOffset.UTC)).bind("status", status);
        spec = lastVerdictAt.isPresent() ? spec.bind("verdictAt", lastVerdictAt.get().atOffset(ZoneOffset.UTC))
                : spec.bindNull("verdictAt", OffsetDateTime.class);
        return spec.then();
    }

    public Mono<Void> saveSettings(String flag, GuardPolicy policy, boolean autoAdvance, Optional<Thresholds> thresholds) {
        var spec = db.sql("UPDATE guard_flags SET policy = :policy, auto_advance = :auto, thresholds = :t::jsonb, "
                        + "updated_at = now() WHERE flag_name = :flag")
                .bind("flag", flag).bind("policy", policy.wireName()).bind("auto", autoAdvance);
        spec = thresholds.isPresent() ? spec.bind("t", Json.of(json.writeValueAsString(thresholds.get())))
                : spec.bindNull("t", Json.class);
        return spec.then();
    }

    public Mono<Long> insertVerdict(String flag, Verdict v) {
        String transition = v.transitions().isEmpty() ? null : v.transitions().stream()
                .map(t -> t.kind().name().toLowerCase() + " " + t.severity().wireName() + " "
                        + t.tenant().orElse("flag") + " " + t.primaryRule())
                .reduce((a, b) -> a + "; " + b).orElse(null);
        var spec = db.sql("INSERT INTO guard_verdicts (flag_name, at, status, scope, tenants, summary, findings, "
                        + "transition) VALUES (:flag, :at, :status, :scope, :tenants, :summary, :findings::jsonb, "
                        + ":transition) RETURNING id")
                .bind("flag", flag).bind("at", v.at().atOffset(ZoneOffset.UTC)).bind("status", v.status())
                .bind("scope", v.scope()).bind("tenants", v.tenants().toArray(String[]::new))
                .bind("summary", v.summary()).bind("findings", Json.of(json.writeValueAsString(v.findings())));
        spec = transition == null ? spec.bindNull("transition", String.class) : spec.bind("transition", transition);
        return spec.map((row, meta) -> row.get("id", Long.class)).one();
    }

    public Flux<StoredVerdict> verdicts(String flag, int limit) {
        return db.sql("SELECT * FROM guard_verdicts WHERE flag_name = :flag ORDER BY id DESC LIMIT :limit")
                .bind("flag", flag).bind("limit", limit)
                .map((row, meta) -> new StoredVerdict(row.get("id", Long.class), flag,
                        row.get("at", OffsetDateTime.class).toInstant(), row.get("status", String.class),
                        row.get("scope", String.class), row.get("tenants", String[].class),
                        row.get("summary", String.class), json.readTree(row.get("findings", Json.class).asString()),
                        row.get("transition", String.class)))
                .all();
    }

    public Mono<Long> deleteVerdictsOlderThan(Instant cutoff) {
        return db.sql("DELETE FROM guard_verdicts v WHERE at < :cutoff AND NOT EXISTS "
                        + "(SELECT 1 FROM guard_alerts a WHERE a.verdict_id = v.id)")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC)).fetch().rowsUpdated();
    }

    private FlagGuard read(io.r2dbc.spi.Readable row) {
        Json state = row.get("state", Json.class);
        Json thresholds = row.get("thresholds", Json.class);
        GuardState parsed = state == null || state.asString().equals("{}") ? GuardState.INITIAL
                : json.readValue(state.asString(), GuardState.class);
        return new FlagGuard(row.get("flag_name", String.class), GuardPolicy.fromWire(row.get("policy", String.class)),
                Boolean.TRUE.equals(row.get("auto_advance", Boolean.class)),
                Optional.ofNullable(thresholds).map(t -> json.readValue(t.asString(), Thresholds.class)),
                parsed, Optional.ofNullable(row.get("last_status", String.class)),
                Optional.ofNullable(row.get("last_verdict_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant));
    }
}
