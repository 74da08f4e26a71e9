package dev.switchboard.router.metrics;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.RouterIdentity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.springframework.stereotype.Component;

/**
 * Aggregates events into windows (default 10 s) per flag × variant × tenant, the unit the guard compares.
 * A window is closed by swapping in a fresh map; the few events racing the swap land in the closed window's
 * map after it was read and are lost, which is acceptable for rates over minutes.
 */
@Component
public class MetricWindows {

    private static final List<Long> BOUNDS = LongStream.of(SeriesAccumulator.BUCKETS_MS).boxed().toList();

    private final String flag;
    private final RouterIdentity identity;
    private final FlagDecider decider;
    private final Clock clock;
    private final AtomicReference<Open> current;

    private record Open(Instant start, Map<SeriesKey, SeriesAccumulator> series) {}

    public MetricWindows(RouterProperties properties, RouterIdentity identity, FlagDecider decider, Clock clock) {
        this.flag = properties.flagName();
        this.identity = identity;
        this.decider = decider;
        this.clock = clock;
        this.current = new AtomicReference<>(new Open(clock.instant(), new ConcurrentHashMap<>()));
    }

    public void record(WebhookOutcome o) {
        SeriesAccumulator s = current.get().series()
                .computeIfAbsent(new SeriesKey(flag, o.variant(), o.tenantId()), k -> new SeriesAccumulator());
        s.requests.increment();
        if (o.error()) {
            s.errors.increment();
            o.callId().ifPresent(s.failedCalls::add);
        }
        if (o.newCall()) {
            s.calls.increment();
        }
        if (o.failover()) {
            s.failovers.increment();
        }
        if (o.circuitBreakerOpens() > 0) {
            s.circuitBreakerOpens.add(o.circuitBreakerOpens());
        }
        if (o.latencyMs() >= 0) {
            s.latency(o.latencyMs());
        }
    }

    /** Closes the open window and returns it (with no series when nothing happened: a heartbeat). */
    public MetricWindow close() {
        Instant now = clock.instant();
        Open closed = current.getAndSet(new Open(now, new ConcurrentHashMap<>()));
        List<MetricWindow.Series> series = new ArrayList<>();
        closed.series().forEach((key, s) -> {
            long[] counts = new long[s.latencyCounts.length()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = s.latencyCounts.get(i);
            }
            series.add(new MetricWindow.Series(key.flag(), key.variant(), key.tenantId(), s.requests.sum(),
                    s.errors.sum(), s.calls.sum(), s.failedCalls.size(), s.circuitBreakerOpens.sum(),
                    s.failovers.sum(), s.latencySumMs.sum(), BOUNDS, Arrays.stream(counts).boxed().toList()));
        });
        long seconds = Math.max(1, Math.round((now.toEpochMilli() - closed.start().toEpochMilli()) / 1000.0));
        Map<String, Long> revisions = new java.util.HashMap<>();
        long rev = decider.revisions().revisionOf(flag);
        if (rev >= 0) {
            revisions.put(flag, rev);
        }
        return new MetricWindow(identity.routerId(), identity.routerVersion(), closed.start().toString(), seconds,
                revisions, series);
    }
}
