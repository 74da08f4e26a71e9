package dev.switchboard.controlplane.unleash;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK instances that talk to this control plane and the yes/no counts they report, in PostgreSQL. An
 * instance is created by whichever comes first, registration or metrics; each post moves its last-seen time.
 */
@Repository
public class ClientRegistry {

    /**
     * One SDK instance as the routers page shows it: what it is, when it was last heard from, and what it
     * reported for one flag over the last hour.
     */
    public record SdkInstance(String appName, String instanceId, String sdkVersion, Instant lastSeen, long yes,
                              long no, Optional<Instant> lastReported) {
    }

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonMapper json;

    ClientRegistry(DatabaseClient db, TransactionalOperator tx, JsonMapper json) {
        this.db = db;
        this.tx = tx;
        this.json = json;
    }

    Mono<Void> register(ClientRequests.Registration r, Optional<Instant> started) {
        String[] strategies = (r.strategies() == null ? List.<String>of() : r.strategies()).toArray(String[]::new);
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO unleash_client_instances (app_name, instance_id, connection_id, sdk_version,
                            environment, strategies, started_at, interval_ms, platform_name, platform_version,
                            yggdrasil_version, spec_version, registered_at, last_seen_at)
                        VALUES (:app, :instance, :connection, :sdk, :environment, :strategies, :started, :interval,
                            :platformName, :platformVersion, :yggdrasil, :spec, now(), now())
                        ON CONFLICT (app_name, instance_id) DO UPDATE SET connection_id = EXCLUDED.connection_id,
                            sdk_version = EXCLUDED.sdk_version, environment = EXCLUDED.environment,
                            strategies = EXCLUDED.strategies, started_at = EXCLUDED.started_at,
                            interval_ms = EXCLUDED.interval_ms, platform_name = EXCLUDED.platform_name,
                            platform_version = EXCLUDED.platform_version,
                            yggdrasil_version = EXCLUDED.yggdrasil_version, spec_version = EXCLUDED.spec_version,
                            registered_at = now(), last_seen_at = now()""")
                .bind("app", r.appName()).bind("instance", r.instanceId()).bind("strategies", strategies);
        spec = text(spec, "connection", r.connectionId());
        spec = text(spec, "sdk", r.sdkVersion());
        spec = text(spec, "environment", r.environment());
        spec = text(spec, "platformName", r.platformName());
        spec = text(spec, "platformVersion", r.platformVersion());
        spec = text(spec, "yggdrasil", r.yggdrasilVersion());
        spec = text(spec, "spec", r.specVersion());
        spec = started.isPresent() ? spec.bind("started", OffsetDateTime.ofInstant(started.get(), ZoneOffset.UTC))
                : spec.bindNull("started", OffsetDateTime.class);
        spec = r.interval() == null ? spec.bindNull("interval", Long.class) : spec.bind("interval", r.interval());
        return spec.then();
    }

    /** Stores one metrics window (replacing it if the SDK posts the same window again) in one transaction. */
    Mono<Void> record(ClientRequests.Metrics m, Instant start, Instant stop) {
        DatabaseClient.GenericExecuteSpec seen = db.sql("""
                        INSERT INTO unleash_client_instances (app_name, instance_id, connection_id, sdk_version,
                            environment, platform_name, platform_version, yggdrasil_version, spec_version)
                        VALUES (:app, :instance, :connection, :sdk, :environment, :platformName, :platformVersion,
                            :yggdrasil, :spec)
                        ON CONFLICT (app_name, instance_id) DO UPDATE SET last_seen_at = now(),
                            connection_id = coalesce(EXCLUDED.connection_id, unleash_client_instances.connection_id)""")
                .bind("app", m.appName()).bind("instance", m.instanceId());
        seen = text(seen, "connection", m.connectionId());
        seen = text(seen, "sdk", m.sdkVersion());
        seen = text(seen, "environment", m.environment());
        seen = text(seen, "platformName", m.platformName());
        seen = text(seen, "platformVersion", m.platformVersion());
        seen = text(seen, "yggdrasil", m.yggdrasilVersion());
        seen = text(seen, "spec", m.specVersion());

        List<String> flags = new ArrayList<>();
        List<Long> yes = new ArrayList<>();
        List<Long> no = new ArrayList<>();
        List<String> variants = new ArrayList<>();
        for (Map.Entry<String, ClientRequests.Count> toggle : m.bucket().toggles().entrySet()) {
            flags.add(toggle.getKey());
            yes.add(toggle.getValue().yes());
            no.add(toggle.getValue().no());
            variants.add(json.writeValueAsString(toggle.getValue().variants() == null ? Map.of()
                    : toggle.getValue().variants()));
        }
        Mono<Void> counts = flags.isEmpty() ? Mono.empty() : db.sql("""
                        INSERT INTO unleash_client_metrics (app_name, instance_id, flag_name, bucket_start, bucket_stop,
                            yes, no, variants)
                        SELECT :app, :instance, f, :start, :stop, y, n, v::jsonb
                        FROM unnest(:flags::text[], :yes::bigint[], :no::bigint[], :variants::text[]) AS t(f, y, n, v)
                        ON CONFLICT (app_name, instance_id, flag_name, bucket_start) DO UPDATE SET
                            bucket_stop = EXCLUDED.bucket_stop, yes = EXCLUDED.yes, no = EXCLUDED.no,
                            variants = EXCLUDED.variants, received_at = now()""")
                .bind("app", m.appName()).bind("instance", m.instanceId())
                .bind("start", OffsetDateTime.ofInstant(start, ZoneOffset.UTC))
                .bind("stop", OffsetDateTime.ofInstant(stop, ZoneOffset.UTC))
                .bind("flags", flags.toArray(String[]::new)).bind("yes", yes.toArray(Long[]::new))
                .bind("no", no.toArray(Long[]::new)).bind("variants", variants.toArray(String[]::new))
                .then();
        return seen.then().then(counts).as(tx::transactional);
    }

    /** Every kept SDK instance, most recently seen first, with its counts for this flag over the last hour. */
    public Flux<SdkInstance> instances(String flag, int limit) {
        return db.sql("""
                        SELECT i.app_name, i.instance_id, i.sdk_version, i.last_seen_at,
                            coalesce(sum(m.yes), 0) AS yes, coalesce(sum(m.no), 0) AS no,
                            max(m.bucket_stop) AS last_reported
                        FROM unleash_client_instances i
                        LEFT JOIN unleash_client_metrics m ON m.app_name = i.app_name
                            AND m.instance_id = i.instance_id AND m.flag_name = :flag
                            AND m.bucket_stop > now() - interval '1 hour'
                        GROUP BY i.app_name, i.instance_id, i.sdk_version, i.last_seen_at
                        ORDER BY i.last_seen_at DESC, i.app_name, i.instance_id
                        LIMIT :limit""")
                .bind("flag", flag).bind("limit", limit)
                .map((row, meta) -> new SdkInstance(row.get("app_name", String.class),
                        row.get("instance_id", String.class), row.get("sdk_version", String.class),
                        row.get("last_seen_at", OffsetDateTime.class).toInstant(),
                        row.get("yes", Long.class), row.get("no", Long.class),
                        Optional.ofNullable(row.get("last_reported", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .all();
    }

    /**
     * Deletes metrics buckets that ended before {@code before}, instances last seen before it (their buckets
     * go with them), and the least recently seen instances beyond {@code maxInstances}; returns the buckets and
     * instances deleted directly (not the buckets that went with their instance).
     */
    Mono<Long> prune(Instant before, int maxInstances) {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(before, ZoneOffset.UTC);
        Mono<Long> buckets = db.sql("DELETE FROM unleash_client_metrics WHERE bucket_stop < :cutoff")
                .bind("cutoff", cutoff).fetch().rowsUpdated();
        Mono<Long> silent = db.sql("DELETE FROM unleash_client_instances WHERE last_seen_at < :cutoff")
                .bind("cutoff", cutoff).fetch().rowsUpdated();
        Mono<Long> beyond = db.sql("""
                        DELETE FROM unleash_client_instances WHERE (app_name, instance_id) IN (
                            SELECT app_name, instance_id FROM unleash_client_instances
                            ORDER BY last_seen_at DESC, app_name, instance_id OFFSET :keep)""")
                .bind("keep", maxInstances).fetch().rowsUpdated();
        return buckets.zipWith(silent, Long::sum).zipWith(beyond, Long::sum);
    }

    private static DatabaseClient.GenericExecuteSpec text(DatabaseClient.GenericExecuteSpec spec, String name,
                                                          String value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
}
