package dev.switchboard.router.tenants;

import dev.switchboard.router.config.RouterProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control plane's provider-identifier → tenant registry, cached in memory and on disk. Refreshed with
 * ETag polling; when the control plane is away the last good copy keeps serving (and a router started while
 * it is away starts from the cache file).
 */
@Component
public class IdentifierRegistry {

    private static final Logger log = LoggerFactory.getLogger(IdentifierRegistry.class);

    private final WebClient controlPlane;
    private final JsonMapper json;
    private final Path cacheFile;
    private final Duration refreshInterval;
    private final MeterRegistry meters;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), null));
    private final Set<String> loggedUnknown = ConcurrentHashMap.newKeySet();
    private volatile Disposable refresher;

    record Snapshot(Map<Identifier, String> tenants, String etag) {}

    public IdentifierRegistry(RouterProperties properties, WebClient.Builder webClients, JsonMapper json, MeterRegistry meters) {
        this.controlPlane = webClients.clone()
                .baseUrl(properties.controlPlaneUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.routerToken())
                .build();
        this.json = json;
        this.cacheFile = Path.of(properties.tenants().cacheFile());
        this.refreshInterval = properties.tenants().refreshInterval();
        this.meters = meters;
        meters.gauge("switchboard.router.identifiers.known", snapshot, s -> s.get().tenants().size());
    }

    @PostConstruct
    void start() {
        loadCacheFile();
        refresher = Flux.interval(Duration.ZERO, refreshInterval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.warn("identifier registry refresh failed, keeping last good copy ({} identifiers): {}",
                            snapshot.get().tenants().size(), e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    @PreDestroy
    void stop() {
        Disposable d = refresher;
        if (d != null) {
            d.dispose();
        }
    }

    /** First registered identifier wins, in the order the provider parser listed them. */
    public TenantResolution resolve(List<Identifier> identifiers) {
        Map<Identifier, String> tenants = snapshot.get().tenants();
        for (Identifier id : identifiers) {
            String tenant = tenants.get(id);
            if (tenant != null) {
                return new TenantResolution(Optional.of(tenant), Optional.of(id));
            }
        }
        if (!identifiers.isEmpty()) {
            Identifier first = identifiers.get(0);
            if (loggedUnknown.size() < 100_000 && loggedUnknown.add(first.provider() + "|" + first.kind() + "|" + first.value())) {
                log.info("no tenant registered for {} {} {}; routing to v1", first.provider(), first.kind(), first.masked());
            }
        }
        return TenantResolution.unresolved();
    }

    public int size() {
        return snapshot.get().tenants().size();
    }

    /** One conditional GET; 304 keeps the current copy. */
    public Mono<Void> refresh() {
        String etag = snapshot.get().etag();
        return controlPlane.get()
                .uri("/api/v1/tenants/identifiers")
                .headers(h -> {
                    if (etag != null) {
                        h.setIfNoneMatch(etag);
                    }
                })
                .exchangeToMono(response -> {
                    if (response.statusCode().value() == HttpStatus.NOT_MODIFIED.value()) {
                        return response.releaseBody();
                    }
                    if (!response.statusCode().is2xxSuccessful()) {
                        return response.releaseBody().then(Mono.error(new IllegalStateException(
                                "identifier registry answered " + response.statusCode().value())));
                    }
                    String newEtag = response.headers().asHttpHeaders().getETag();
                    return response.bodyToMono(String.class).flatMap(body -> {
                        Map<Identifier, String> parsed = parse(body);
                        snapshot.set(new Snapshot(parsed, newEtag));
                        meters.counter("switchboard.router.identifiers.refreshes").increment();
                        return Mono.fromRunnable(() -> writeCacheFile(body, newEtag))
                                .subscribeOn(Schedulers.boundedElastic())
                                .then();
                    });
                })
                .timeout(Duration.ofSeconds(10));
    }

    private Map<Identifier, String> parse(String body) {
        JsonNode items = json.readTree(body).path("items");
        Map<Identifier, String> map = new HashMap<>();
        for (JsonNode item : items) {
            String provider = item.path("provider").asString("");
            String kind = item.path("kind").asString("");
            String value = item.path("value").asString("");
            String tenant = item.path("tenantId").asString("");
            if (!provider.isEmpty() && !kind.isEmpty() && !value.isEmpty() && !tenant.isEmpty()) {
                map.put(new Identifier(provider, kind, value), tenant);
            }
        }
        return Map.copyOf(map);
    }

    private void loadCacheFile() {
        if (!Files.isRegularFile(cacheFile)) {
            return;
        }
        try {
            JsonNode cached = json.readTree(Files.readString(cacheFile, StandardCharsets.UTF_8));
            Map<Identifier, String> parsed = parse(cached.path("body").asString("{}"));
            snapshot.set(new Snapshot(parsed, null));
            log.info("loaded {} identifiers from cache file {}", parsed.size(), cacheFile);
        } catch (IOException | RuntimeException e) {
            log.warn("identifier cache file {} unreadable, starting empty: {}", cacheFile, e.toString());
        }
    }

    private void writeCacheFile(String body, String etag) {
        try {
            Path tmp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp");
            Map<String, String> doc = new HashMap<>();
            doc.put("body", body);
            doc.put("etag", etag);
            Files.writeString(tmp, json.writeValueAsString(doc), StandardCharsets.UTF_8);
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            log.warn("could not write identifier cache file {}: {}", cacheFile, e.toString());
        }
    }
}
