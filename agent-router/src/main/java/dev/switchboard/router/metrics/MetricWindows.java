package dev.switchboard.router.metrics;

import dev.switchboard.contract.Identifiers;
import dev.switchboard.contract.LatencyBuckets;
import dev.switchboard.contract.MetricWindow;
import dev.switchboard.contract.WindowRules;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.RouterIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Aggregates events into short windows (the push interval, default 2 s) per flag × variant × tenant, the unit
 * the guard judges. A window is closed by swapping in a fresh map; the few events racing the swap land in the
 * closed window's map after it was read and are lost, which is acceptable for rates; they can never make the
 * closed window break the contract (see {@link SeriesAccumulator}). Tenant ids the contract does not accept are
 * recorded under {@value Identifiers#UNRESOLVED}.
 */
@Component
public class MetricWindows {

    private final String flag;
    private final RouterIdentity identity;
    private final ToLongFunction<String> revisionOf;
    private final Supplier<Duration> flagStateAge;
    private final Clock clock;
    private final AtomicReference<Open> current;

    private record Open(Instant start, Map<SeriesKey, SeriesAccumulator> series) {}

    @Autowired
    public MetricWindows(RouterProperties properties, RouterIdentity identity, FlagDecider decider, Clock clock) {
        this(properties.flagName(), identity, f -> decider.revisions().revisionOf(f), decider::stateAge, clock);
    }

    /**
     * @param revisionOf   the revision the router decides a flag with, or -1 when not known yet
     * @param flagStateAge how old that state is ({@link FlagDecider#stateAge()}: 0 while its source is healthy)
     */
    MetricWindows(String flag, RouterIdentity identity, ToLongFunction<String> revisionOf,
                  Supplier<Duration> flagStateAge, Clock clock) {
        this.flag = flag;
        this.identity = identity;
        this.revisionOf = revisionOf;
        this.flagStateAge = flagStateAge;
        this.clock = clock;
        this.current = new AtomicReference<>(new Open(clock.instant(), new ConcurrentHashMap<>()));
    }

    public void record(WebhookOutcome o) {
        current.get().series()
                .computeIfAbsent(new SeriesKey(flag, o.variant(), Identifiers.tenantForMetrics(o.tenantId())),
                        k -> new SeriesAccumulator())
                .record(o);
    }

    /** Closes the open window and returns it (with no series when nothing happened: a heartbeat). */
    public MetricWindow close() {
        Instant now = clock.instant();
        Open closed = current.getAndSet(new Open(now, new ConcurrentHashMap<>()));
        List<MetricWindow.Series> series = new ArrayList<>();
        closed.series().forEach((key, s) -> series.add(read(key, s)));
        long seconds = Math.round((now.toEpochMilli() - closed.start().toEpochMilli()) / 1000.0);
        int windowSeconds = (int) Math.max(WindowRules.MIN_WINDOW_SECONDS, Math.min(WindowRules.MAX_WINDOW_SECONDS, seconds));
        Map<String, Long> revisions = new HashMap<>();
        long rev = revisionOf.applyAsLong(flag);
        if (rev >= 0) {
            revisions.put(flag, rev);
        }
        return new MetricWindow(identity.routerId(), identity.routerVersion(), closed.start().toString(),
                windowSeconds, revisions, ageSeconds(flagStateAge.get()), series);
    }

    /** Whole seconds, or null when the state was never confirmed (or is too old to be a real age). */
    static Long ageSeconds(Duration age) {
        long seconds = age.getSeconds();
        return seconds > WindowRules.MAX_FLAG_STATE_AGE_SECONDS ? null : seconds;
    }

    /** Reads what is bounded before what bounds it (the reverse of the write order). */
    private static MetricWindow.Series read(SeriesKey key, SeriesAccumulator s) {
        List<Long> counts = new ArrayList<>(LatencyBuckets.COUNTS);
        for (int i = 0; i < LatencyBuckets.COUNTS; i++) {
            counts.add(s.latencyCounts.get(i));
        }
        double latencySum = s.latencySumMs.sum();
        long opens = s.circuitBreakerOpens.sum();
        long failovers = s.failovers.sum();
        long failedCalls = s.failedCalls.size();
        long errors = s.errors.sum();
        long calls = s.calls.size() + s.anonymousCalls.sum();
        long requests = s.requests.sum();
        return new MetricWindow.Series(key.flag(), key.variant(), key.tenantId(), requests, errors, calls,
                failedCalls, opens, failovers, latencySum, LatencyBuckets.BOUNDS_MS, counts);
    }
}
