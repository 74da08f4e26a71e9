package dev.switchboard.controlplane.tenants;

import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tenants and provider identifiers in PostgreSQL. */
@Repository
public class TenantStore {

    private static final String COLUMNS = "id, display_name, tier, monthly_calls, internal";

    private final DatabaseClient db;

    TenantStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Boolean> exists(String id) {
        return db.sql("SELECT 1 FROM tenants WHERE id = :id").bind("id", id).fetch().first().hasElement();
    }

    public Mono<Tenant> find(String id) {
        return db.sql("SELECT " + COLUMNS + " FROM tenants WHERE id = :id").bind("id", id)
                .map((row, meta) -> tenant(row)).one()
                .zipWith(identifiersOf(id).collectList(), (t, ids) -> new Tenant(t.id(), t.displayName(), t.tier(),
                        t.monthlyCalls(), t.internal(), ids));
    }

    /** Every tenant id, for counting who is on v2 with the same evaluation as explain. */
    public Flux<String> allIds() {
        return db.sql("SELECT id FROM tenants ORDER BY id").map((row, meta) -> row.get("id", String.class)).all();
    }

    /** Search by id or name (case-insensitive substring) or exact identifier value, e.g. a phone number. */
    public Flux<Tenant> search(Optional<String> query, int limit, int offset) {
        String sql = "SELECT " + COLUMNS + " FROM tenants t WHERE :q = '' OR t.id ILIKE :like OR t.display_name ILIKE :like "
                + "OR EXISTS (SELECT 1 FROM tenant_identifiers i WHERE i.tenant_id = t.id AND i.value = :q) "
                + "ORDER BY t.id LIMIT :limit OFFSET :offset";
        String q = query.map(String::trim).orElse("");
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.sql(sql).bind("q", q).bind("like", like).bind("limit", limit).bind("offset", offset)
                .map((row, meta) -> tenant(row)).all();
    }

    public Mono<Long> count() {
        return db.sql("SELECT count(*) AS n FROM tenants").map((row, meta) -> row.get("n", Long.class)).one();
    }

    /** Changes whenever a tenant is added, removed or updated: how many there are and the latest change. */
    public Mono<String> fingerprint() {
        return db.sql("SELECT count(*) AS n, coalesce(max(updated_at)::text, '') AS latest FROM tenants")
                .map((row, meta) -> row.get("n", Long.class) + "/" + row.get("latest", String.class)).one();
    }

    public Flux<TenantIdentifier> identifiers() {
        return db.sql("SELECT provider, kind, value, tenant_id FROM tenant_identifiers ORDER BY provider, kind, value")
                .map((row, meta) -> identifier(row)).all();
    }

    /** A cheap fingerprint of the identifier registry, used as the ETag routers poll with. */
    public Mono<String> identifiersVersion() {
        return db.sql("SELECT count(*) AS n, coalesce(max(created_at)::text, '') AS latest, "
                        + "coalesce(sum(hashtext(provider || kind || value || tenant_id)), 0) AS h FROM tenant_identifiers")
                .map((row, meta) -> row.get("n", Long.class) + "-" + row.get("h", Number.class) + "-"
                        + row.get("latest", String.class).hashCode())
                .one();
    }

    public Mono<TenantIdentifier> resolve(String provider, String kind, String value) {
        return db.sql("SELECT provider, kind, value, tenant_id FROM tenant_identifiers "
                        + "WHERE provider = :provider AND kind = :kind AND value = :value")
                .bind("provider", provider).bind("kind", kind).bind("value", value)
                .map((row, meta) -> identifier(row)).one();
    }

    Flux<TenantIdentifier> identifiersOf(String tenantId) {
        return db.sql("SELECT provider, kind, value, tenant_id FROM tenant_identifiers WHERE tenant_id = :id "
                        + "ORDER BY provider, kind, value")
                .bind("id", tenantId).map((row, meta) -> identifier(row)).all();
    }

    /** Identifiers among these that already belong to another tenant (they would be silently re-pointed). */
    Flux<TenantIdentifier> identifiersOwnedByOthers(Collection<TenantIdentifier> wanted) {
        if (wanted.isEmpty()) {
            return Flux.empty();
        }
        Map<String, String> owner = new java.util.HashMap<>();
        for (TenantIdentifier i : wanted) {
            owner.put(key(i), i.tenantId());
        }
        return db.sql("SELECT i.provider, i.kind, i.value, i.tenant_id FROM tenant_identifiers i "
                        + "JOIN unnest(:p::text[], :k::text[], :v::text[]) AS w(provider, kind, value) "
                        + "USING (provider, kind, value)")
                .bind("p", wanted.stream().map(TenantIdentifier::provider).toArray(String[]::new))
                .bind("k", wanted.stream().map(TenantIdentifier::kind).toArray(String[]::new))
                .bind("v", wanted.stream().map(TenantIdentifier::value).toArray(String[]::new))
                .map((row, meta) -> identifier(row)).all()
                .filter(i -> !i.tenantId().equals(owner.get(key(i))));
    }

    private static String key(TenantIdentifier i) {
        return i.provider() + "/" + i.kind() + "/" + i.value();
    }

    /**
     * Inserts or updates tenants and replaces their identifiers in three set-based statements (an import of
     * thousands of tenants is three round trips); the caller provides the transaction.
     */
    Mono<Void> upsertAll(List<Tenant> tenants) {
        int n = tenants.size();
        String[] ids = new String[n];
        String[] names = new String[n];
        String[] tiers = new String[n];
        Integer[] calls = new Integer[n];
        Boolean[] internal = new Boolean[n];
        List<TenantIdentifier> identifiers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Tenant t = tenants.get(i);
            ids[i] = t.id();
            names[i] = t.displayName();
            tiers[i] = t.tier() == null || t.tier().isBlank() ? "standard" : t.tier();
            calls[i] = t.monthlyCalls();
            internal[i] = t.internal();
            for (TenantIdentifier identifier : t.identifiers()) {
                identifiers.add(new TenantIdentifier(identifier.provider(), identifier.kind(), identifier.value(), t.id()));
            }
        }
        Mono<Void> upsert = db.sql("INSERT INTO tenants (" + COLUMNS + ") SELECT * FROM unnest(:ids::text[], "
                        + ":names::text[], :tiers::text[], :calls::int[], :internal::bool[]) ON CONFLICT (id) DO UPDATE SET "
                        + "display_name = EXCLUDED.display_name, tier = EXCLUDED.tier, "
                        + "monthly_calls = EXCLUDED.monthly_calls, internal = EXCLUDED.internal, updated_at = now()")
                .bind("ids", ids).bind("names", names).bind("tiers", tiers).bind("calls", calls)
                .bind("internal", internal).then();
        Mono<Void> clear = db.sql("DELETE FROM tenant_identifiers WHERE tenant_id = ANY(:ids::text[])")
                .bind("ids", ids).then();
        Mono<Void> insertIdentifiers = identifiers.isEmpty() ? Mono.empty()
                : db.sql("INSERT INTO tenant_identifiers (provider, kind, value, tenant_id) SELECT * FROM "
                                + "unnest(:p::text[], :k::text[], :v::text[], :t::text[])")
                        .bind("p", identifiers.stream().map(TenantIdentifier::provider).toArray(String[]::new))
                        .bind("k", identifiers.stream().map(TenantIdentifier::kind).toArray(String[]::new))
                        .bind("v", identifiers.stream().map(TenantIdentifier::value).toArray(String[]::new))
                        .bind("t", identifiers.stream().map(TenantIdentifier::tenantId).toArray(String[]::new))
                        .then();
        return upsert.then(clear).then(insertIdentifiers);
    }

    private static Tenant tenant(Readable row) {
        return new Tenant(row.get("id", String.class), row.get("display_name", String.class),
                row.get("tier", String.class), row.get("monthly_calls", Integer.class),
                Boolean.TRUE.equals(row.get("internal", Boolean.class)), List.of());
    }

    private static TenantIdentifier identifier(Readable row) {
        return new TenantIdentifier(row.get("provider", String.class), row.get("kind", String.class),
                row.get("value", String.class), row.get("tenant_id", String.class));
    }
}
