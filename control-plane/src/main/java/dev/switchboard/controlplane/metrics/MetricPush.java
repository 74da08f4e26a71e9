package dev.switchboard.controlplane.metrics;

import java.util.List;
import java.util.Map;

/**
 * One push of a router: the 10-second window it just closed, one series per (flag, variant, tenant). Fields
 * are boxed so that a missing one is reported by name instead of silently becoming 0. No series at all is a
 * heartbeat.
 */
public record MetricPush(String routerId, String routerVersion, String windowStart, Integer windowSeconds,
                         Map<String, Long> flagRevisions, List<Series> series) {

    public record Series(String flag, String variant, String tenantId, Long requests, Long errors, Long calls,
                         Long failedCalls, Long circuitBreakerOpens, Long failovers, Double latencySumMs,
                         List<Double> latencyBucketsMs, List<Long> latencyCounts) {
    }
}
