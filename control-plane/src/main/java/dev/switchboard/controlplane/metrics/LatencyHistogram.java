package dev.switchboard.controlplane.metrics;

import dev.switchboard.contract.LatencyBuckets;
import java.util.List;

/** The routers' fixed latency buckets ({@link LatencyBuckets}, the wire contract) as the metric feature uses them. */
public final class LatencyHistogram {

    public static final List<Double> BOUNDS_MS = LatencyBuckets.BOUNDS_MS;
    public static final int COUNTS = LatencyBuckets.COUNTS;

    private LatencyHistogram() {
    }

    /** See {@link LatencyBuckets#percentile(long[], double)}. */
    public static double percentile(long[] counts, double q) {
        return LatencyBuckets.percentile(counts, q);
    }
}
