package dev.switchboard.controlplane.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds router pushes exactly as routers send them, for tests and benchmarks. */
public final class MetricPushes {

    public static final List<Integer> BOUNDS = List.of(5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 650, 800,
            1000, 1200, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000);

    private final String routerId;
    private final Instant windowStart;
    private final List<Map<String, Object>> series = new ArrayList<>();
    private final Map<String, Long> revisions = new LinkedHashMap<>();
    private Long flagStateAgeSeconds;
    private boolean ageReported;

    private MetricPushes(String routerId, Instant windowStart) {
        this.routerId = routerId;
        this.windowStart = windowStart;
    }

    public String routerId() {
        return routerId;
    }

    private static long anchor;
    private static long anchoredAt;
    private static long lastCall;

    /**
     * The start of the 10-second window {@code back} windows before the current one. Calls made in quick succession
     * (a test's loop over windows) share one "current window", so a loop that crosses a 10-second boundary does not
     * push two windows with the same start; the anchor moves on after a 2-second pause, or 10 s after it was set.
     */
    public static synchronized Instant windowAgo(int back) {
        long now = Instant.now().getEpochSecond();
        if (now - lastCall > 2 || now - anchoredAt > 10) {
            anchor = now - now % 10;
            anchoredAt = now;
        }
        lastCall = now;
        return Instant.ofEpochSecond(anchor - 10L * back);
    }

    public static MetricPushes window(String routerId, Instant windowStart) {
        return new MetricPushes(routerId, windowStart);
    }

    /** The router's flag-state age in the push (null: reported as unknown); left out unless set, as older routers do. */
    public MetricPushes flagStateAge(Long seconds) {
        this.flagStateAgeSeconds = seconds;
        this.ageReported = true;
        return this;
    }

    public MetricPushes revision(String flag, long revision) {
        revisions.put(flag, revision);
        return this;
    }

    /** A series whose requests all took about {@code latencyMs} (put in the bucket that holds it). */
    public MetricPushes series(String flag, String variant, String tenant, long requests, long errors, double latencyMs) {
        return series(flag, variant, tenant, requests, errors, requests / 8, 0, 0, 0, latencyMs);
    }

    public MetricPushes series(String flag, String variant, String tenant, long requests, long errors, long calls,
                               long failedCalls, long circuitBreakerOpens, long failovers, double latencyMs) {
        List<Long> counts = new ArrayList<>();
        int bucket = bucketOf(latencyMs);
        for (int i = 0; i < 24; i++) {
            counts.add(i == bucket ? requests : 0L);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("flag", flag);
        s.put("variant", variant);
        s.put("tenantId", tenant);
        s.put("requests", requests);
        s.put("errors", errors);
        s.put("calls", calls);
        s.put("failedCalls", failedCalls);
        s.put("circuitBreakerOpens", circuitBreakerOpens);
        s.put("failovers", failovers);
        s.put("latencySumMs", latencyMs * requests);
        s.put("latencyBucketsMs", BOUNDS);
        s.put("latencyCounts", counts);
        series.add(s);
        return this;
    }

    public Map<String, Object> build() {
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("routerId", routerId);
        push.put("routerVersion", "0.1.0");
        push.put("windowStart", windowStart.toString());
        push.put("windowSeconds", 10);
        push.put("flagRevisions", revisions);
        if (ageReported) {
            push.put("flagStateAgeSeconds", flagStateAgeSeconds);
        }
        push.put("series", series);
        return push;
    }

    static int bucketOf(double latencyMs) {
        for (int i = 0; i < BOUNDS.size(); i++) {
            if (latencyMs <= BOUNDS.get(i)) {
                return i;
            }
        }
        return 23;
    }
}
