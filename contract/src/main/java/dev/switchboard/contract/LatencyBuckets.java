package dev.switchboard.contract;

import java.util.List;

/**
 * The fixed latency buckets of every metric series, and percentiles over merged bucket counts. Percentiles come
 * from summed counts (never an average of per-window percentiles), interpolating linearly inside the bucket
 * that holds the rank.
 */
public final class LatencyBuckets {

    private static final double[] BOUNDS = {5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1200,
            1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000};

    /** Upper bounds in ms; count {@code i} is for (BOUNDS[i-1], BOUNDS[i]], the last count is above 20000 ms. */
    public static final List<Double> BOUNDS_MS = java.util.Arrays.stream(BOUNDS).boxed().toList();

    /** Counts per series: one per bound plus the overflow bucket. */
    public static final int COUNTS = BOUNDS.length + 1;

    private LatencyBuckets() {
    }

    /** The bucket a latency falls in. */
    public static int index(double millis) {
        int i = 0;
        while (i < BOUNDS.length && millis > BOUNDS[i]) {
            i++;
        }
        return i;
    }

    /**
     * The q-quantile (0 &lt; q &lt;= 1) of the merged counts, or 0 when there are none. Ranks in the overflow
     * bucket report its lower bound (20000 ms): how far beyond it they are is not known.
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
                if (i >= BOUNDS.length) {
                    return BOUNDS[BOUNDS.length - 1];
                }
                double lower = i == 0 ? 0 : BOUNDS[i - 1];
                double upper = BOUNDS[i];
                return lower + (upper - lower) * ((rank - cumulative) / c);
            }
            cumulative += c;
        }
        return BOUNDS[BOUNDS.length - 1];
    }
}
