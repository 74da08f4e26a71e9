package dev.switchboard.controlplane.metrics;

import java.util.List;

/**
 * The routers' fixed latency buckets and percentiles over merged bucket counts. Percentiles come from the
 * summed counts of all windows (never an average of per-window percentiles), interpolating linearly inside
 * the bucket that holds the rank.
 */
public final class LatencyHistogram {

    /** Upper bounds in ms; count {@code i} is for (BOUNDS[i-1], BOUNDS[i]], the last count is > 20000 ms. */
    public static final List<Double> BOUNDS_MS = List.of(5d, 10d, 25d, 50d, 75d, 100d, 150d, 200d, 300d, 400d,
            500d, 650d, 800d, 1000d, 1200d, 1500d, 2000d, 3000d, 5000d, 7500d, 10000d, 15000d, 20000d);

    public static final int COUNTS = BOUNDS_MS.size() + 1;

    private LatencyHistogram() {
    }

    /**
     * The q-quantile (0 &lt; q &lt;= 1) of the merged counts, or 0 when there are none. Ranks falling in the
     * overflow bucket report its lower bound (20000 ms): we cannot know how far beyond it they are.
     */
    public static double percentile(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = counts[i];
            if (c > 0 && cumulative + c >= rank) {
                if (i >= BOUNDS_MS.size()) {
                    return BOUNDS_MS.get(BOUNDS_MS.size() - 1);
                }
                double lower = i == 0 ? 0 : BOUNDS_MS.get(i - 1);
                double upper = BOUNDS_MS.get(i);
                double fraction = (rank - cumulative) / c;
                return lower + (upper - lower) * fraction;
            }
            cumulative += c;
        }
        return BOUNDS_MS.get(BOUNDS_MS.size() - 1);
    }
}
