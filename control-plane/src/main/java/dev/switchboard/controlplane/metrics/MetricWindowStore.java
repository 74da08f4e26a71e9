package dev.switchboard.controlplane.metrics;

import dev.switchboard.contract.MetricWindow;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores router windows set-based (one statement for all series of a push, whatever their number) and sums
 * them back per variant. Histograms are summed bucket by bucket in SQL, so a comparison reads one row per
 * variant however many windows and tenants it covers.
 */
@Repository
public class MetricWindowStore {

    /** A variant's sums over some windows: the raw material of {@link VariantStats}. */
    public record Sums(String variant, long requests, long errors, long calls, long failedCalls,
                       long circuitBreakerOpens, long failovers, double latencySumMs, long[] latencyCounts) {

        public static Sums empty(String variant) {
            return new Sums(variant, 0, 0, 0, 0, 0, 0, 0, new long[LatencyHistogram.COUNTS]);
        }

        public VariantStats stats() {
            long measured = 0;
            for (long c : latencyCounts) {
                measured += c;
            }
            long latencyDenominator = measured > 0 ? measured : requests;
            return new VariantStats(variant, requests, errors, requests == 0 ? 0 : (double) errors / requests, calls,
                    failedCalls, calls == 0 ? 0 : (double) failedCalls / calls,
                    latencyDenominator == 0 ? 0 : latencySumMs / latencyDenominator,
                    LatencyHistogram.percentile(latencyCounts, 0.95), circuitBreakerOpens, failovers);
        }
    }

    static final String SUMS = "sum(requests)::bigint AS requests, sum(errors)::bigint AS errors, "
            + "sum(calls)::bigint AS calls, sum(failed_calls)::bigint AS failed_calls, "
            + "sum(circuit_breaker_opens)::bigint AS cb, sum(failovers)::bigint AS failovers, "
            + "coalesce(sum(latency_sum_ms), 0)::float8 AS latency_sum, "
            + IntStream.rangeClosed(1, LatencyHistogram.COUNTS)
            .mapToObj(i -> "sum(latency_counts[" + i + "])::bigint AS b" + i).collect(Collectors.joining(", "));

    private static final String COUNTS_ARRAY = "ARRAY[" + IntStream.rangeClosed(1, LatencyHistogram.COUNTS)
            .mapToObj(i -> "sum(latency_counts[" + i + "])::bigint").collect(Collectors.joining(", ")) + "]";

    private final DatabaseClient db;
    private final JsonMapper json;
    private final TransactionalOperator tx;

    MetricWindowStore(DatabaseClient db, JsonMapper json, TransactionalOperator tx) {
        this.db = db;
        this.json = json;
        this.tx = tx;
    }

    /** Stores the accepted series of a checked push: windows (first write wins on retries), the flag-wide sums, and the router. */
    public Mono<Void> store(MetricWindow push, List<MetricWindow.Series> series, Instant receivedAt) {
        Instant windowStart = Instant.parse(push.windowStart());
        OffsetDateTime start = windowStart.atOffset(ZoneOffset.UTC);
        Mono<Void> windows = Mono.empty();
        if (!series.isEmpty()) {
            List<Map<String, Object>> rows = new ArrayList<>(series.size());
            for (MetricWindow.Series s : series) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("flag", s.flag());
                row.put("tenant", s.tenantId());
                row.put("variant", s.variant());
                row.put("requests", s.requests());
                row.put("errors", s.errors());
                row.put("calls", s.calls());
                row.put("failed_calls", s.failedCalls());
                row.put("cb", s.circuitBreakerOpens());
                row.put("failovers", s.failovers());
                row.put("latency_sum", s.latencySumMs());
                row.put("counts", s.latencyCounts());
                rows.add(row);
            }
            String[] flags = series.stream().map(MetricWindow.Series::flag).distinct().toArray(String[]::new);
            windows = db.sql("INSERT INTO router_metric_windows (flag_name, window_start, tenant_id, variant, router_id, "
                            + "window_seconds, requests, errors, calls, failed_calls, circuit_breaker_opens, failovers, "
                            + "latency_sum_ms, latency_counts) "
                            + "SELECT x.flag, :start, x.tenant, x.variant, :router, :seconds, x.requests, x.errors, x.calls, "
                            + "x.failed_calls, x.cb, x.failovers, x.latency_sum, x.counts "
                            + "FROM jsonb_to_recordset(:rows::jsonb) AS x(flag text, tenant text, variant text, "
                            + "requests bigint, errors bigint, calls bigint, failed_calls bigint, cb bigint, "
                            + "failovers bigint, latency_sum float8, counts bigint[]) "
                            + "ON CONFLICT (flag_name, window_start, tenant_id, variant, router_id) DO NOTHING")
                    .bind("start", start).bind("router", push.routerId()).bind("seconds", push.windowSeconds())
                    .bind("rows", Json.of(json.writeValueAsString(rows)))
                    .then()
                    .then(db.sql("INSERT INTO router_metric_flag_windows (flag_name, window_start, variant, router_id, "
                                    + "window_seconds, requests, errors, calls, failed_calls, circuit_breaker_opens, "
                                    + "failovers, latency_sum_ms, latency_counts) "
                                    + "SELECT flag_name, window_start, variant, router_id, max(window_seconds), "
                                    + "sum(requests)::bigint, sum(errors)::bigint, sum(calls)::bigint, "
                                    + "sum(failed_calls)::bigint, sum(circuit_breaker_opens)::bigint, "
                                    + "sum(failovers)::bigint, sum(latency_sum_ms)::float8, " + COUNTS_ARRAY
                                    + " FROM router_metric_windows WHERE flag_name = ANY(:flags) AND window_start = :start "
                                    + "AND router_id = :router GROUP BY flag_name, window_start, variant, router_id "
                                    + "ON CONFLICT (flag_name, window_start, variant, router_id) DO UPDATE SET "
                                    + "requests = excluded.requests, errors = excluded.errors, calls = excluded.calls, "
                                    + "failed_calls = excluded.failed_calls, "
                                    + "circuit_breaker_opens = excluded.circuit_breaker_opens, "
                                    + "failovers = excluded.failovers, latency_sum_ms = excluded.latency_sum_ms, "
                                    + "latency_counts = excluded.latency_counts")
                            .bind("flags", flags).bind("start", start).bind("router", push.routerId()).then());
        }
        Map<String, Long> revisions = push.flagRevisions() == null ? Map.of() : push.flagRevisions();
        var router = db.sql("INSERT INTO routers (router_id, version, last_seen, flag_revisions, flag_state_age_seconds) "
                        + "VALUES (:id, :version, :seen, :revisions::jsonb, :age) ON CONFLICT (router_id) DO UPDATE SET "
                        + "version = excluded.version, last_seen = greatest(routers.last_seen, excluded.last_seen), "
                        + "flag_revisions = CASE WHEN excluded.flag_revisions = '{}'::jsonb THEN routers.flag_revisions "
                        + "ELSE excluded.flag_revisions END, "
                        // the newest window's age; a window received earlier, committed later, keeps the newer one
                        + "flag_state_age_seconds = CASE WHEN excluded.last_seen >= routers.last_seen "
                        + "THEN excluded.flag_state_age_seconds ELSE routers.flag_state_age_seconds END")
                .bind("id", push.routerId()).bind("version", push.routerVersion())
                .bind("seen", receivedAt.atOffset(ZoneOffset.UTC))
                .bind("revisions", Json.of(json.writeValueAsString(revisions)));
        router = push.flagStateAgeSeconds() == null ? router.bindNull("age", Long.class)
                : router.bind("age", push.flagStateAgeSeconds());
        Mono<Void> routerRow = router.then();
        return windows.then(routerRow).as(tx::transactional);
    }

    /** Those of {@code names} that are flags. */
    public Mono<java.util.Set<String>> existingFlags(java.util.Collection<String> names) {
        if (names.isEmpty()) {
            return Mono.just(java.util.Set.of());
        }
        return db.sql("SELECT name FROM flags WHERE name = ANY(:names)")
                .bind("names", names.toArray(String[]::new))
                .map((row, meta) -> row.get("name", String.class)).all()
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Flag-wide sums per variant over [from, until). */
    public Mono<Map<String, Sums>> flagSums(String flag, Instant from, Instant until) {
        return db.sql("SELECT variant, " + SUMS + " FROM router_metric_flag_windows WHERE flag_name = :flag "
                        + "AND window_start >= :from AND window_start < :until GROUP BY variant")
                .bind("flag", flag).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .map(MetricWindowStore::sums).all()
                .collectMap(Sums::variant);
    }

    /** One tenant's sums per variant over [from, until). */
    public Mono<Map<String, Sums>> tenantSums(String flag, String tenant, Instant from, Instant until) {
        return db.sql("SELECT variant, " + SUMS + " FROM router_metric_windows WHERE flag_name = :flag "
                        + "AND tenant_id = :tenant AND window_start >= :from AND window_start < :until GROUP BY variant")
                .bind("flag", flag).bind("tenant", tenant).bind("from", from.atOffset(ZoneOffset.UTC))
                .bind("until", until.atOffset(ZoneOffset.UTC))
                .map(MetricWindowStore::sums).all()
                .collectMap(Sums::variant);
    }

    /**
     * Per-tenant sums of every tenant that had at least {@code minV2Requests} v2 requests in [from, until):
     * the only tenants the guard can judge. Unresolved traffic is left out (it is nobody's tenant).
     */
    public Mono<Map<String, Map<String, Sums>>> tenantsWithV2Traffic(String flag, Instant from, Instant until,
                                                                      long minV2Requests) {
        return db.sql("WITH w AS (SELECT * FROM router_metric_windows WHERE flag_name = :flag "
                        + "AND window_start >= :from AND window_start < :until AND tenant_id <> '_unresolved'), "
                        + "judged AS (SELECT tenant_id FROM w WHERE variant = 'v2' GROUP BY tenant_id "
                        + "HAVING sum(requests) >= :min) "
                        + "SELECT tenant_id, variant, " + SUMS + " FROM w WHERE tenant_id IN (SELECT tenant_id FROM judged) "
                        + "GROUP BY tenant_id, variant")
                .bind("flag", flag).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .bind("min", minV2Requests)
                .map((row, meta) -> Map.entry(row.get("tenant_id", String.class), sums(row, meta)))
                .all()
                .collect(LinkedHashMap::new, (Map<String, Map<String, Sums>> acc, Map.Entry<String, Sums> e) ->
                        acc.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(e.getValue().variant(), e.getValue()));
    }

    /** Flag-wide sums per (second the windows started in, variant), oldest first: the sequential tests' input. */
    public Flux<Map.Entry<Instant, Sums>> secondSums(String flag, Instant from, Instant until) {
        return db.sql("SELECT date_trunc('second', window_start) AS at, variant, " + SUMS
                        + " FROM router_metric_flag_windows WHERE flag_name = :flag AND window_start >= :from "
                        + "AND window_start < :until GROUP BY 1, variant ORDER BY 1, variant")
                .bind("flag", flag).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .map((row, meta) -> Map.entry(row.get("at", OffsetDateTime.class).toInstant(), sums(row, meta)))
                .all();
    }

    /** Flag-wide sums per (minute, variant), oldest first. */
    public Flux<Map.Entry<Instant, Sums>> minuteSums(String flag, Instant from, Instant until) {
        return db.sql("SELECT date_trunc('minute', window_start) AS minute, variant, " + SUMS
                        + " FROM router_metric_flag_windows WHERE flag_name = :flag AND window_start >= :from "
                        + "AND window_start < :until GROUP BY 1, variant ORDER BY 1, variant")
                .bind("flag", flag).bind("from", from.atOffset(ZoneOffset.UTC)).bind("until", until.atOffset(ZoneOffset.UTC))
                .map((row, meta) -> Map.entry(row.get("minute", OffsetDateTime.class).toInstant(), sums(row, meta)))
                .all();
    }

    /**
     * Routers from their pushes and from their SDK heartbeats (instance id = router id, app {@code appName}):
     * a router whose SDK is live but whose windows are older than {@code blindBefore} (or absent) is blind.
     */
    public Flux<RouterView> routers(Instant staleBefore, Instant blindBefore, Instant liveSince, String appName) {
        return db.sql("WITH sdk AS (SELECT regexp_replace(instance_id, '-polling$', '') AS router_id, "
                        + "max(last_seen_at) AS sdk_seen FROM unleash_client_instances WHERE app_name = :app GROUP BY 1) "
                        + "SELECT coalesce(r.router_id, s.router_id) AS router_id, r.version, r.last_seen, "
                        + "r.flag_revisions, r.flag_state_age_seconds, s.sdk_seen "
                        + "FROM routers r FULL JOIN sdk s ON s.router_id = r.router_id "
                        + "WHERE r.router_id IS NOT NULL OR s.sdk_seen >= :live ORDER BY 1")
                .bind("app", appName).bind("live", liveSince.atOffset(ZoneOffset.UTC))
                .map((row, meta) -> {
                    OffsetDateTime lastSeen = row.get("last_seen", OffsetDateTime.class);
                    Instant seen = lastSeen == null ? null : lastSeen.toInstant();
                    OffsetDateTime sdkSeen = row.get("sdk_seen", OffsetDateTime.class);
                    Instant sdk = sdkSeen == null ? null : sdkSeen.toInstant();
                    Json revisions = row.get("flag_revisions", Json.class);
                    Map<String, Long> parsed = new LinkedHashMap<>();
                    if (revisions != null) {
                        json.readTree(revisions.asString()).properties()
                                .forEach(e -> parsed.put(e.getKey(), e.getValue().asLong()));
                    }
                    boolean live = sdk != null && !sdk.isBefore(liveSince);
                    boolean blind = live && (seen == null || seen.isBefore(blindBefore));
                    String version = row.get("version", String.class);
                    return new RouterView(row.get("router_id", String.class), version == null ? "unknown" : version,
                            seen, parsed, row.get("flag_state_age_seconds", Long.class),
                            seen == null || seen.isBefore(staleBefore), sdk, blind);
                }).all();
    }

    /** Deletes windows that started before {@code cutoff}, in batches so no statement holds locks for long. */
    public Mono<Long> deleteOlderThan(Instant cutoff) {
        OffsetDateTime at = cutoff.atOffset(ZoneOffset.UTC);
        Mono<Long> tenantRows = db.sql("DELETE FROM router_metric_windows WHERE ctid IN (SELECT ctid FROM "
                        + "router_metric_windows WHERE window_start < :cutoff LIMIT 50000)")
                .bind("cutoff", at).fetch().rowsUpdated();
        Mono<Long> flagRows = db.sql("DELETE FROM router_metric_flag_windows WHERE window_start < :cutoff")
                .bind("cutoff", at).fetch().rowsUpdated();
        return tenantRows.expand(n -> n >= 50000 ? tenantRows : Mono.empty())
                .reduce(0L, Long::sum)
                .flatMap(n -> flagRows.map(m -> n + m));
    }

    private static Sums sums(Readable row, Object meta) {
        long[] counts = new long[LatencyHistogram.COUNTS];
        for (int i = 0; i < counts.length; i++) {
            Long c = row.get("b" + (i + 1), Long.class);
            counts[i] = c == null ? 0 : c;
        }
        return new Sums(row.get("variant", String.class), n(row, "requests"), n(row, "errors"), n(row, "calls"),
                n(row, "failed_calls"), n(row, "cb"), n(row, "failovers"),
                row.get("latency_sum", Double.class) == null ? 0 : row.get("latency_sum", Double.class), counts);
    }

    private static long n(Readable row, String column) {
        Long v = row.get(column, Long.class);
        return v == null ? 0 : v;
    }
}
