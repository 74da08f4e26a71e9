package dev.switchboard.controlplane.flags;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Flags, their per-tenant override rows and their snapshots in PostgreSQL. No business rules here. */
@Repository
public class FlagStore {

    private static final String FLAG_COLUMNS = "name, description, enabled, percentage, revision, updated_at, updated_by";

    private record Core(String name, String description, boolean enabled, int percentage, long revision,
                        OffsetDateTime updatedAt, String updatedBy) {
    }

    private record Override(String flag, String tenant, OverrideMode mode) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    FlagStore(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Locks the flag row until the transaction ends: changes to one flag happen one after another. */
    Mono<Long> lockRevision(String flag) {
        return db.sql("SELECT revision FROM flags WHERE name = :name FOR UPDATE").bind("name", flag)
                .map((row, meta) -> row.get("revision", Long.class)).one();
    }

    public Mono<FlagState> find(String flag) {
        Mono<Core> core = db.sql("SELECT " + FLAG_COLUMNS + " FROM flags WHERE name = :name").bind("name", flag)
                .map((row, meta) -> core(row)).one();
        Mono<List<Override>> overrides = db.sql(
                        "SELECT flag_name, tenant_id, mode FROM flag_tenant_overrides WHERE flag_name = :name")
                .bind("name", flag).map((row, meta) -> override(row)).all().collectList();
        return core.zipWith(overrides, FlagStore::state);
    }

    public Flux<FlagState> findAll() {
        Mono<Map<String, List<Override>>> overrides = db.sql("SELECT flag_name, tenant_id, mode FROM flag_tenant_overrides")
                .map((row, meta) -> override(row)).all()
                .collectMultimap(Override::flag).map(m -> {
                    Map<String, List<Override>> copy = new HashMap<>();
                    m.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
                    return copy;
                });
        return overrides.flatMapMany(byFlag -> db.sql("SELECT " + FLAG_COLUMNS + " FROM flags ORDER BY name")
                .map((row, meta) -> core(row)).all()
                .map(core -> state(core, byFlag.getOrDefault(core.name(), List.of()))));
    }

    Mono<Void> insert(String name, String description, String actor) {
        return db.sql("INSERT INTO flags (name, description, updated_by) VALUES (:name, :description, :actor)")
                .bind("name", name).bind("description", description).bind("actor", actor).then();
    }

    Mono<Boolean> exists(String name) {
        return db.sql("SELECT 1 FROM flags WHERE name = :name").bind("name", name).fetch().first().hasElement();
    }

    Mono<Void> updateCore(String flag, boolean enabled, int percentage, long revision, String actor) {
        return db.sql("UPDATE flags SET enabled = :enabled, percentage = :percentage, revision = :revision, "
                        + "updated_at = now(), updated_by = :actor WHERE name = :name")
                .bind("enabled", enabled).bind("percentage", percentage).bind("revision", revision)
                .bind("actor", actor).bind("name", flag).then();
    }

    Mono<Void> putOverride(String flag, String tenant, OverrideMode mode, String reason, String actor) {
        return db.sql("INSERT INTO flag_tenant_overrides (flag_name, tenant_id, mode, reason, created_by) "
                        + "VALUES (:flag, :tenant, :mode, :reason, :actor) ON CONFLICT (flag_name, tenant_id) "
                        + "DO UPDATE SET mode = EXCLUDED.mode, reason = EXCLUDED.reason, "
                        + "created_by = EXCLUDED.created_by, created_at = now()")
                .bind("flag", flag).bind("tenant", tenant).bind("mode", mode.wireName()).bind("reason", reason)
                .bind("actor", actor).then();
    }

    Mono<Void> deleteOverride(String flag, String tenant) {
        return db.sql("DELETE FROM flag_tenant_overrides WHERE flag_name = :flag AND tenant_id = :tenant")
                .bind("flag", flag).bind("tenant", tenant).then();
    }

    Mono<Long> insertSnapshot(FlagState state, String actor, String reason) {
        return db.sql("INSERT INTO flag_snapshots (flag_name, revision, state, created_by, reason) "
                        + "VALUES (:flag, :revision, :state, :actor, :reason) RETURNING id")
                .bind("flag", state.name()).bind("revision", state.revision())
                .bind("state", Json.of(json.writeValueAsString(state.settings())))
                .bind("actor", actor).bind("reason", reason)
                .map((row, meta) -> row.get("id", Long.class)).one();
    }

    public Flux<Snapshot> snapshots(String flag, int limit) {
        return db.sql("SELECT id, flag_name, revision, state, created_at, created_by, reason FROM flag_snapshots "
                        + "WHERE flag_name = :flag ORDER BY revision DESC LIMIT :limit")
                .bind("flag", flag).bind("limit", limit).map((row, meta) -> snapshot(row)).all();
    }

    Mono<Snapshot> snapshot(String flag, long id) {
        return db.sql("SELECT id, flag_name, revision, state, created_at, created_by, reason FROM flag_snapshots "
                        + "WHERE flag_name = :flag AND id = :id")
                .bind("flag", flag).bind("id", id).map((row, meta) -> snapshot(row)).one();
    }

    private Snapshot snapshot(Readable row) {
        FlagState.Settings settings = json.readValue(row.get("state", Json.class).asString(), FlagState.Settings.class);
        return new Snapshot(row.get("id", Long.class), row.get("flag_name", String.class),
                row.get("revision", Long.class), settings, row.get("created_at", OffsetDateTime.class),
                row.get("created_by", String.class), row.get("reason", String.class));
    }

    private static Core core(Readable row) {
        return new Core(row.get("name", String.class), row.get("description", String.class),
                Boolean.TRUE.equals(row.get("enabled", Boolean.class)), row.get("percentage", Integer.class),
                row.get("revision", Long.class), row.get("updated_at", OffsetDateTime.class),
                row.get("updated_by", String.class));
    }

    private static Override override(Readable row) {
        return new Override(row.get("flag_name", String.class), row.get("tenant_id", String.class),
                OverrideMode.valueOf(row.get("mode", String.class).toUpperCase(java.util.Locale.ROOT)));
    }

    private static FlagState state(Core core, List<Override> overrides) {
        List<String> allow = overrides.stream().filter(o -> o.mode() == OverrideMode.ALLOW).map(Override::tenant).toList();
        List<String> deny = overrides.stream().filter(o -> o.mode() == OverrideMode.DENY).map(Override::tenant).toList();
        return new FlagState(core.name(), core.description(), core.enabled(), core.percentage(), allow, deny,
                core.revision(), FlagState.stageOf(core.percentage()), core.updatedAt(), core.updatedBy());
    }
}
