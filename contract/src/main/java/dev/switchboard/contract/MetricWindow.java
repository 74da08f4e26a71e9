package dev.switchboard.contract;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/router-metrics}: one window a router closed, one series per (flag, variant,
 * tenant). Fields are boxed so that a missing one is reported by name instead of silently becoming 0. A window
 * without series is a heartbeat. {@link WindowRules} is the one place that says what a valid window is.
 *
 * @param windowStart   ISO-8601 instant the window opened
 * @param windowSeconds its length, whole seconds
 * @param flagRevisions the revision of each flag the router decided with ({@link FlagRevisions})
 * @param flagStateAgeSeconds how old the flag state it decides on is, in whole seconds, when the window closed:
 *                      0 while its stream (or poll) reaches the control plane, else the time since the control
 *                      plane last confirmed that state; absent when it never has (a cold start with no backup)
 */
public record MetricWindow(String routerId, String routerVersion, String windowStart, Integer windowSeconds,
                           Map<String, Long> flagRevisions, Long flagStateAgeSeconds, List<Series> series) {

    /**
     * One (flag, variant, tenant) during the window.
     *
     * @param requests            webhooks forwarded
     * @param errors              of which answered with an error (after failover, the caller's view)
     * @param calls               calls that started in the window, plus calls that failed in it (so that
     *                            {@code failedCalls <= calls} holds in every window, whatever a call's length)
     * @param failedCalls         distinct calls with at least one failed webhook in the window
     * @param circuitBreakerOpens circuit-breaker transitions to open
     * @param failovers           webhooks that went to v1 after v2 failed
     * @param latencySumMs        sum of the measured latencies
     * @param latencyBucketsMs    the standard bounds, {@link LatencyBuckets#BOUNDS_MS}
     * @param latencyCounts       one count per bucket, the last for anything slower than the last bound
     */
    public record Series(String flag, String variant, String tenantId, Long requests, Long errors, Long calls,
                         Long failedCalls, Long circuitBreakerOpens, Long failovers, Double latencySumMs,
                         List<Double> latencyBucketsMs, List<Long> latencyCounts) {

        /** The series' identity within a window. */
        public String key() {
            return flag + "\u0000" + variant + "\u0000" + tenantId;
        }
    }
}
