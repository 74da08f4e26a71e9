package dev.switchboard.router.metrics;

import dev.switchboard.contract.LatencyBuckets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Lock-free counters of one series during one window. Every count the contract bounds by another is written
 * after the count that bounds it ({@link #record}) and read before it ({@link MetricWindows#close()}), so even
 * an event racing the window's close can never make a closed series break an invariant (errors ≤ requests,
 * failed calls ≤ calls, ...): it is then counted in the bound but not yet in what it bounds.
 */
final class SeriesAccumulator {

    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** New calls without an id (cannot fail as a call). */
    final LongAdder anonymousCalls = new LongAdder();
    /** Calls that started in the window, and calls that failed in it. */
    final Set<String> calls = ConcurrentHashMap.newKeySet();
    final Set<String> failedCalls = ConcurrentHashMap.newKeySet();
    final LongAdder circuitBreakerOpens = new LongAdder();
    final LongAdder failovers = new LongAdder();
    final DoubleAdder latencySumMs = new DoubleAdder();
    final AtomicLongArray latencyCounts = new AtomicLongArray(LatencyBuckets.COUNTS);

    void record(WebhookOutcome o) {
        requests.increment();
        if (o.newCall()) {
            o.callId().ifPresentOrElse(calls::add, anonymousCalls::increment);
        }
        if (o.error()) {
            errors.increment();
            o.callId().ifPresent(id -> {
                calls.add(id); // a call failing in this window counts as one of its calls
                failedCalls.add(id);
            });
        }
        if (o.failover()) {
            failovers.increment();
        }
        if (o.circuitBreakerOpens() > 0) {
            circuitBreakerOpens.add(o.circuitBreakerOpens());
        }
        if (o.latencyMs() >= 0) {
            latencySumMs.add(o.latencyMs());
            latencyCounts.incrementAndGet(LatencyBuckets.index(o.latencyMs()));
        }
    }
}
