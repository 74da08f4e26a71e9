package dev.switchboard.controlplane.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * {@link ComparisonSource} over the stored router windows. A window [until - window, until) holds every
 * 10-second window that started in it; the guard also asks for explicit ends and for all judged tenants.
 */
@Service
public class StoredComparisons implements ComparisonSource {

    private final MetricWindowStore store;
    private final MetricsClock clock;

    StoredComparisons(MetricWindowStore store, MetricsClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Mono<Comparison> compare(String flag, Duration window) {
        return compare(flag, window, clock.now());
    }

    public Mono<Comparison> compare(String flag, Duration window, Instant until) {
        return store.flagSums(flag, until.minus(window), until)
                .map(sums -> comparison(flag, Optional.empty(), window, until, sums));
    }

    @Override
    public Mono<Comparison> compareTenant(String flag, String tenantId, Duration window) {
        Instant until = clock.now();
        return store.tenantSums(flag, tenantId, until.minus(window), until)
                .map(sums -> comparison(flag, Optional.of(tenantId), window, until, sums));
    }

    public Mono<Comparison> compareTenant(String flag, String tenantId, Duration window, Instant until) {
        return store.tenantSums(flag, tenantId, until.minus(window), until)
                .map(sums -> comparison(flag, Optional.of(tenantId), window, until, sums));
    }

    /** Every tenant with at least {@code minV2Requests} v2 requests in the window, compared. */
    public Mono<Map<String, Comparison>> compareTenants(String flag, Duration window, Instant until, long minV2Requests) {
        return store.tenantsWithV2Traffic(flag, until.minus(window), until, minV2Requests).map(byTenant -> {
            Map<String, Comparison> out = new LinkedHashMap<>();
            byTenant.forEach((tenant, sums) -> out.put(tenant, comparison(flag, Optional.of(tenant), window, until, sums)));
            return out;
        });
    }

    @Override
    public Mono<List<MinutePoint>> perMinute(String flag, Duration window) {
        Instant until = clock.now();
        return store.minuteSums(flag, until.minus(window), until)
                .map(e -> {
                    VariantStats s = e.getValue().stats();
                    return new MinutePoint(e.getKey(), s.variant(), s.requests(), s.errorRate(), s.p95LatencyMs());
                })
                .collectList().map(ArrayList::new);
    }

    static Comparison comparison(String flag, Optional<String> tenant, Duration window, Instant until,
                                 Map<String, MetricWindowStore.Sums> sums) {
        return new Comparison(flag, tenant, window, until,
                sums.getOrDefault("v1", MetricWindowStore.Sums.empty("v1")).stats(),
                sums.getOrDefault("v2", MetricWindowStore.Sums.empty("v2")).stats());
    }
}
