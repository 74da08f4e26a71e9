package dev.switchboard.router.metrics;

import java.util.List;
import java.util.Map;

/** The JSON body of POST /api/v1/router-metrics (the contract with the control plane). */
public record MetricWindow(
        String routerId,
        String routerVersion,
        String windowStart,
        long windowSeconds,
        Map<String, Long> flagRevisions,
        List<Series> series) {

    public record Series(
            String flag,
            String variant,
            String tenantId,
            long requests,
            long errors,
            long calls,
            long failedCalls,
            long circuitBreakerOpens,
            long failovers,
            double latencySumMs,
            List<Long> latencyBucketsMs,
            List<Long> latencyCounts) {}
}
