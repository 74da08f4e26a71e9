package dev.switchboard.router.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters of one series during one window. */
final class SeriesAccumulator {

    static final long[] BUCKETS_MS = {5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1200, 1500,
            2000, 3000, 5000, 7500, 10000, 15000, 20000};

    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder calls = new LongAdder();
    final Set<String> failedCalls = ConcurrentHashMap.newKeySet();
    final LongAdder circuitBreakerOpens = new LongAdder();
    final LongAdder failovers = new LongAdder();
    final DoubleAdder latencySumMs = new DoubleAdder();
    final AtomicLongArray latencyCounts = new AtomicLongArray(BUCKETS_MS.length + 1);

    void latency(double millis) {
        latencySumMs.add(millis);
        int i = 0;
        while (i < BUCKETS_MS.length && millis > BUCKETS_MS[i]) {
            i++;
        }
        latencyCounts.incrementAndGet(i);
    }
}
