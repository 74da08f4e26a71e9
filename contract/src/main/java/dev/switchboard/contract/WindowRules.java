package dev.switchboard.contract;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Every rule a metric window must satisfy, in one place: the router checks what it built before sending it,
 * the control plane checks what it received. Rules about the window as a whole (who sent it, when, how long)
 * refuse the window; rules about one series refuse that series only, so one bad series never hides the others.
 *
 * <p>Bounds: no count may exceed what one router can serve in the window ({@link #MAX_REQUESTS_PER_SECOND}
 * per second of window, per series and over the whole window), every other count is bounded by the requests
 * (or, for failed calls, by the calls), so sums over any number of windows and routers stay far from overflow.
 */
public final class WindowRules {

    /** What one router cannot exceed (measured: about 12,000 webhooks/s on 2 cores). */
    public static final long MAX_REQUESTS_PER_SECOND = 50_000;
    public static final int MIN_WINDOW_SECONDS = 1;
    public static final int MAX_WINDOW_SECONDS = 300;
    /** A window must start within this much of the receiver's clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final int MAX_SERIES = 50_000;
    /** No webhook is waited on longer than this (deadlines are at most tens of seconds). */
    public static final double MAX_LATENCY_MS = 600_000;
    /** A flag state older than this (ten years) is a broken clock, not a router's last known state. */
    public static final long MAX_FLAG_STATE_AGE_SECONDS = 10L * 366 * 24 * 3600;
    private static final int MAX_VIOLATIONS = 20;

    /** A refused series: its position in the window, its identity as sent and what is wrong with it. */
    public record RefusedSeries(int index, String flag, String variant, String tenantId, List<Violation> violations) {
    }

    /**
     * The outcome of a check.
     *
     * @param window   violations of the window as a whole: when not empty, nothing of it may be stored
     * @param accepted the series that may be stored (empty when {@code window} is not)
     * @param refused  the series that may not, with their reasons
     */
    public record Checked(List<Violation> window, List<MetricWindow.Series> accepted, List<RefusedSeries> refused) {

        public boolean windowRefused() {
            return !window.isEmpty();
        }

        /** Nothing may be stored: the window is refused, or it had series and every one was refused. */
        public boolean nothingAccepted() {
            return windowRefused() || (accepted.isEmpty() && !refused.isEmpty());
        }

        /** Every violation, window first, each series' prefixed with its position. */
        public List<Violation> all() {
            List<Violation> out = new ArrayList<>(window);
            refused.forEach(r -> out.addAll(r.violations()));
            return out.size() > MAX_VIOLATIONS ? out.subList(0, MAX_VIOLATIONS) : out;
        }
    }

    private WindowRules() {
    }

    /**
     * Checks a window.
     *
     * @param now       the receiver's clock
     * @param knownFlag whether a flag exists (a router checks against the flags it knows)
     */
    public static Checked check(MetricWindow w, Instant now, Predicate<String> knownFlag) {
        List<Violation> window = new ArrayList<>();
        if (w == null) {
            window.add(new Violation("body", "required", "is required"));
            return new Checked(window, List.of(), List.of());
        }
        if (w.routerId() == null || w.routerId().isBlank()) {
            window.add(new Violation("routerId", "required", "is required"));
        } else if (!Identifiers.validRouterId(w.routerId())) {
            window.add(new Violation("routerId", "pattern", "must be " + Identifiers.ROUTER_ID_RULE));
        }
        if (w.routerVersion() == null || w.routerVersion().isBlank() || w.routerVersion().length() > 64) {
            window.add(new Violation("routerVersion", "required", "must be a version string of 1-64 characters"));
        }
        if (w.windowSeconds() == null) {
            window.add(new Violation("windowSeconds", "required", "is required"));
        } else if (w.windowSeconds() < MIN_WINDOW_SECONDS || w.windowSeconds() > MAX_WINDOW_SECONDS) {
            window.add(new Violation("windowSeconds", "range",
                    "must be between " + MIN_WINDOW_SECONDS + " and " + MAX_WINDOW_SECONDS));
        }
        if (w.windowStart() == null) {
            window.add(new Violation("windowStart", "required", "is required (ISO-8601 instant, e.g. 2026-11-22T10:00:00Z)"));
        } else {
            try {
                Instant start = Instant.parse(w.windowStart());
                if (start.isBefore(now.minus(MAX_CLOCK_SKEW)) || start.isAfter(now.plus(MAX_CLOCK_SKEW))) {
                    window.add(new Violation("windowStart", "clock-skew", "must be within "
                            + MAX_CLOCK_SKEW.toMinutes() + " minutes of the control plane's clock (" + now + ")"));
                }
            } catch (DateTimeParseException e) {
                window.add(new Violation("windowStart", "instant", "must be an ISO-8601 instant, e.g. 2026-11-22T10:00:00Z"));
            }
        }
        FlagRevisions.check(w.flagRevisions(), window);
        if (w.flagStateAgeSeconds() != null
                && (w.flagStateAgeSeconds() < 0 || w.flagStateAgeSeconds() > MAX_FLAG_STATE_AGE_SECONDS)) {
            window.add(new Violation("flagStateAgeSeconds", "range",
                    "must be between 0 and " + MAX_FLAG_STATE_AGE_SECONDS + " seconds"));
        }
        List<MetricWindow.Series> series = w.series() == null ? List.of() : w.series();
        if (series.size() > MAX_SERIES) {
            window.add(new Violation("series", "size", "must have at most " + MAX_SERIES + " entries"));
        }
        if (!window.isEmpty()) {
            return new Checked(cap(window), List.of(), List.of());
        }
        long perSeries = MAX_REQUESTS_PER_SECOND * w.windowSeconds();
        List<MetricWindow.Series> accepted = new ArrayList<>();
        List<RefusedSeries> refused = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        long total = 0;
        for (int i = 0; i < series.size(); i++) {
            MetricWindow.Series s = series.get(i);
            String at = "series[" + i + "]";
            List<Violation> v = new ArrayList<>();
            if (s == null) {
                v.add(new Violation(at, "required", "must be an object"));
                refused.add(new RefusedSeries(i, null, null, null, v));
                continue;
            }
            seriesViolations(s, at, perSeries, knownFlag, v);
            if (v.isEmpty() && !keys.add(s.key())) {
                v.add(new Violation(at, "unique", "repeats flag, variant and tenantId of an earlier series"));
            }
            if (v.isEmpty()) {
                accepted.add(s);
                total += s.requests(); // each <= perSeries, at most MAX_SERIES of them: no overflow
            } else {
                refused.add(new RefusedSeries(i, s.flag(), s.variant(), s.tenantId(), List.copyOf(v)));
            }
        }
        if (total > perSeries) {
            window.add(new Violation("series", "max", "requests of all series together must not exceed "
                    + MAX_REQUESTS_PER_SECOND + " per second of window (" + perSeries + ")"));
            return new Checked(window, List.of(), List.of());
        }
        return new Checked(List.of(), List.copyOf(accepted), List.copyOf(refused));
    }

    /** Checks a window built by a router, which knows the flags it decides on. */
    public static Checked check(MetricWindow w, Instant now) {
        return check(w, now, Identifiers::validFlag);
    }

    private static void seriesViolations(MetricWindow.Series s, String at, long maxRequests,
                                         Predicate<String> knownFlag, List<Violation> v) {
        if (s.flag() == null || s.flag().isBlank()) {
            v.add(new Violation(at + ".flag", "required", "is required"));
        } else if (!Identifiers.validFlag(s.flag())) {
            v.add(new Violation(at + ".flag", "pattern", "must be a flag name (" + Identifiers.FLAG_RULE + ")"));
        } else if (!knownFlag.test(s.flag())) {
            v.add(new Violation(at + ".flag", "exists", "must be an existing flag"));
        }
        if (s.variant() == null || !(s.variant().equals("v1") || s.variant().equals("v2"))) {
            v.add(new Violation(at + ".variant", "one-of", "must be v1 or v2"));
        }
        if (s.tenantId() == null || s.tenantId().isBlank()) {
            v.add(new Violation(at + ".tenantId", "required", "is required"));
        } else if (!Identifiers.validMetricTenant(s.tenantId())) {
            v.add(new Violation(at + ".tenantId", "pattern",
                    "must be " + Identifiers.TENANT_RULE + ", or " + Identifiers.UNRESOLVED));
        }
        boolean requestsOk = count(v, at + ".requests", s.requests(), maxRequests,
                "must not exceed " + MAX_REQUESTS_PER_SECOND + " per second of window (" + maxRequests + ")");
        long requests = requestsOk ? s.requests() : Long.MAX_VALUE;
        count(v, at + ".errors", s.errors(), requests, "must not exceed requests");
        boolean callsOk = count(v, at + ".calls", s.calls(), requests, "must not exceed requests");
        count(v, at + ".failedCalls", s.failedCalls(), callsOk ? s.calls() : Long.MAX_VALUE, "must not exceed calls");
        // opens are drained by whichever request comes next, possibly another tenant's: bounded per window only
        count(v, at + ".circuitBreakerOpens", s.circuitBreakerOpens(), maxRequests,
                "must not exceed " + MAX_REQUESTS_PER_SECOND + " per second of window (" + maxRequests + ")");
        count(v, at + ".failovers", s.failovers(), requests, "must not exceed requests");
        if (s.latencySumMs() == null) {
            v.add(new Violation(at + ".latencySumMs", "required", "is required"));
        } else if (s.latencySumMs().isNaN() || s.latencySumMs().isInfinite() || s.latencySumMs() < 0) {
            v.add(new Violation(at + ".latencySumMs", "min", "must be a finite number >= 0"));
        } else if (requestsOk && s.latencySumMs() > requests * MAX_LATENCY_MS) {
            v.add(new Violation(at + ".latencySumMs", "max", "must not exceed " + (long) MAX_LATENCY_MS + " ms per request"));
        }
        if (s.latencyBucketsMs() == null) {
            v.add(new Violation(at + ".latencyBucketsMs", "required", "is required"));
        } else if (!s.latencyBucketsMs().equals(LatencyBuckets.BOUNDS_MS)) {
            v.add(new Violation(at + ".latencyBucketsMs", "standard-buckets",
                    "must be the standard bounds " + LatencyBuckets.BOUNDS_MS));
        }
        if (s.latencyCounts() == null) {
            v.add(new Violation(at + ".latencyCounts", "required", "is required"));
        } else if (s.latencyCounts().size() != LatencyBuckets.COUNTS) {
            v.add(new Violation(at + ".latencyCounts", "size",
                    "must have " + LatencyBuckets.COUNTS + " counts (one per bucket, the last for > 20000 ms)"));
        } else {
            long sum = 0;
            boolean bad = false;
            for (Long c : s.latencyCounts()) {
                if (c == null || c < 0 || c > requests) {
                    bad = true;
                    break;
                }
                sum += c; // each <= requests <= 1.5e7: no overflow over 24 counts
            }
            if (bad) {
                v.add(new Violation(at + ".latencyCounts", "range", "must all be integers between 0 and requests"));
            } else if (sum > requests) {
                v.add(new Violation(at + ".latencyCounts", "max", "must not add up to more than requests"));
            }
        }
    }

    /** A count between 0 and max; true when it is one. */
    private static boolean count(List<Violation> v, String field, Long value, long max, String maxRule) {
        if (value == null) {
            v.add(new Violation(field, "required", "is required"));
            return false;
        }
        if (value < 0) {
            v.add(new Violation(field, "min", "must be an integer >= 0"));
            return false;
        }
        if (value > max) {
            v.add(new Violation(field, "max", maxRule));
            return false;
        }
        return true;
    }

    private static List<Violation> cap(List<Violation> v) {
        return v.size() > MAX_VIOLATIONS ? List.copyOf(v.subList(0, MAX_VIOLATIONS)) : List.copyOf(v);
    }
}
