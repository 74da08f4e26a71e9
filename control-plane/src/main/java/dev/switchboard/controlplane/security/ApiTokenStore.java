package dev.switchboard.controlplane.security;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** API tokens in PostgreSQL: only their SHA-256 is stored. */
@Repository
public class ApiTokenStore {

    public record TokenRow(long id, String name, Role role, Optional<String> routerId, OffsetDateTime createdAt,
                           String createdBy, Optional<OffsetDateTime> lastUsedAt, Optional<OffsetDateTime> revokedAt) {
    }

    private final DatabaseClient db;

    ApiTokenStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<Caller> findActive(String tokenHash) {
        return db.sql("SELECT id, name, role, router_id FROM api_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .bind("hash", tokenHash)
                .map((row, meta) -> new Object[] {row.get("id", Long.class), new Caller(row.get("name", String.class),
                        Role.fromWire(row.get("role", String.class)),
                        Optional.ofNullable(row.get("router_id", String.class)))})
                .one()
                .flatMap(r -> touch((Long) r[0]).thenReturn((Caller) r[1]));
    }

    /** Records use at most once a minute, so a busy token does not write on every request. */
    private Mono<Void> touch(long id) {
        return db.sql("UPDATE api_tokens SET last_used_at = now() WHERE id = :id "
                        + "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
                .bind("id", id).then();
    }

    Mono<Long> insert(String name, Role role, Optional<String> routerId, String tokenHash, String createdBy) {
        var spec = db.sql("INSERT INTO api_tokens (name, role, router_id, token_hash, created_by) "
                        + "VALUES (:name, :role, :router, :hash, :by) RETURNING id")
                .bind("name", name).bind("role", role.wireName()).bind("hash", tokenHash).bind("by", createdBy);
        spec = routerId.isPresent() ? spec.bind("router", routerId.get()) : spec.bindNull("router", String.class);
        return spec.map((row, meta) -> row.get("id", Long.class)).one();
    }

    Flux<TokenRow> list() {
        return db.sql("SELECT id, name, role, router_id, created_at, created_by, last_used_at, revoked_at "
                        + "FROM api_tokens ORDER BY id")
                .map((row, meta) -> new TokenRow(row.get("id", Long.class), row.get("name", String.class),
                        Role.fromWire(row.get("role", String.class)),
                        Optional.ofNullable(row.get("router_id", String.class)),
                        row.get("created_at", OffsetDateTime.class),
                        row.get("created_by", String.class),
                        Optional.ofNullable(row.get("last_used_at", OffsetDateTime.class)),
                        Optional.ofNullable(row.get("revoked_at", OffsetDateTime.class))))
                .all();
    }

    /** Revokes; true when a live token was revoked by this call. */
    Mono<Boolean> revoke(long id) {
        return db.sql("UPDATE api_tokens SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).fetch().rowsUpdated().map(n -> n > 0);
    }

    Mono<Boolean> exists(long id) {
        return db.sql("SELECT 1 FROM api_tokens WHERE id = :id").bind("id", id).fetch().first().hasElement();
    }
}
