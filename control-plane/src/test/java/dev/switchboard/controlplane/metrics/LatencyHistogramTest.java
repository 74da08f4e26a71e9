package dev.switchboard.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void interpolatesLinearlyInsideTheBucketHoldingTheRank() {
        long[] counts = new long[24];
        counts[10] = 50; // (400, 500]
        counts[11] = 50; // (500, 650]
        // rank 95 of 100 lies 45/50 into (500, 650]
        assertThat(LatencyHistogram.percentile(counts, 0.95)).isCloseTo(500 + 150 * 0.9, within(1e-9));
    }

    @Test
    void mergedHistogramsAreNotAnAverageOfPercentiles() {
        long[] fast = new long[24];
        fast[3] = 95; // (25, 50]
        long[] slow = new long[24];
        slow[15] = 5; // (1200, 1500]
        long[] merged = new long[24];
        for (int i = 0; i < 24; i++) {
            merged[i] = fast[i] + slow[i];
        }
        assertThat(LatencyHistogram.percentile(merged, 0.95)).isCloseTo(50.0, within(1e-9));
        assertThat(LatencyHistogram.percentile(merged, 0.99)).isGreaterThan(1200);
    }

    @Test
    void overflowReportsTheLastBoundAndEmptyIsZero() {
        long[] counts = new long[24];
        counts[23] = 10;
        assertThat(LatencyHistogram.percentile(counts, 0.95)).isEqualTo(20000);
        assertThat(LatencyHistogram.percentile(new long[24], 0.95)).isZero();
    }
}
