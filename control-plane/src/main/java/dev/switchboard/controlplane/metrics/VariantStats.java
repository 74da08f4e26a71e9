package dev.switchboard.controlplane.metrics;

/**
 * One variant's numbers over a window, merged from the routers' 10-second windows (p95 from merged
 * histograms, never an average of percentiles).
 */
public record VariantStats(String variant, long requests, long errors, double errorRate, long calls, long failedCalls,
                           double failedCallsRate, double avgLatencyMs, double p95LatencyMs, long circuitBreakerOpens,
                           long failovers) {
}
