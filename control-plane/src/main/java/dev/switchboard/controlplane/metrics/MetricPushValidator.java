package dev.switchboard.controlplane.metrics;

import dev.switchboard.controlplane.errors.FieldViolation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Every rule a router push must satisfy; a push breaking any of them is refused whole (nothing stored). */
final class MetricPushValidator {

    static final int MAX_SERIES = 50_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
    private static final Pattern FLAG = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    private static final Pattern TENANT = Pattern.compile("_unresolved|[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    private MetricPushValidator() {
    }

    static List<FieldViolation> violations(MetricPush push) {
        List<FieldViolation> out = new ArrayList<>();
        if (push == null) {
            out.add(new FieldViolation("body", "required", "is required"));
            return out;
        }
        text(out, "routerId", push.routerId(), ID, "1-128 letters, digits or _.:@- starting with a letter or digit");
        if (push.routerVersion() == null || push.routerVersion().isBlank() || push.routerVersion().length() > 64) {
            out.add(new FieldViolation("routerVersion", "required", "must be a version string of 1-64 characters"));
        }
        if (push.windowStart() == null) {
            out.add(new FieldViolation("windowStart", "required", "is required (ISO-8601 instant, e.g. 2026-11-22T10:00:00Z)"));
        } else {
            try {
                Instant.parse(push.windowStart());
            } catch (DateTimeParseException e) {
                out.add(new FieldViolation("windowStart", "instant", "must be an ISO-8601 instant, e.g. 2026-11-22T10:00:00Z"));
            }
        }
        if (push.windowSeconds() == null) {
            out.add(new FieldViolation("windowSeconds", "required", "is required"));
        } else if (push.windowSeconds() < 1 || push.windowSeconds() > 300) {
            out.add(new FieldViolation("windowSeconds", "range", "must be between 1 and 300"));
        }
        if (push.flagRevisions() != null) {
            for (Map.Entry<String, Long> e : push.flagRevisions().entrySet()) {
                if (e.getValue() == null || e.getValue() < 0) {
                    out.add(new FieldViolation("flagRevisions." + e.getKey(), "min", "must be a revision >= 0"));
                }
            }
        }
        List<MetricPush.Series> series = push.series() == null ? List.of() : push.series();
        if (series.size() > MAX_SERIES) {
            out.add(new FieldViolation("series", "size", "must have at most " + MAX_SERIES + " entries"));
            return out;
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < series.size(); i++) {
            MetricPush.Series s = series.get(i);
            String at = "series[" + i + "]";
            if (s == null) {
                out.add(new FieldViolation(at, "required", "must be an object"));
                continue;
            }
            text(out, at + ".flag", s.flag(), FLAG, "a flag name");
            if (s.variant() == null || !(s.variant().equals("v1") || s.variant().equals("v2"))) {
                out.add(new FieldViolation(at + ".variant", "one-of", "must be v1 or v2"));
            }
            text(out, at + ".tenantId", s.tenantId(), TENANT, "a tenant id or _unresolved");
            count(out, at + ".requests", s.requests());
            count(out, at + ".errors", s.errors());
            count(out, at + ".calls", s.calls());
            count(out, at + ".failedCalls", s.failedCalls());
            count(out, at + ".circuitBreakerOpens", s.circuitBreakerOpens());
            count(out, at + ".failovers", s.failovers());
            if (s.requests() != null && s.errors() != null && s.errors() > s.requests()) {
                out.add(new FieldViolation(at + ".errors", "max", "must not exceed requests"));
            }
            if (s.calls() != null && s.failedCalls() != null && s.failedCalls() > s.calls()) {
                out.add(new FieldViolation(at + ".failedCalls", "max", "must not exceed calls"));
            }
            if (s.latencySumMs() == null) {
                out.add(new FieldViolation(at + ".latencySumMs", "required", "is required"));
            } else if (s.latencySumMs() < 0 || s.latencySumMs().isNaN() || s.latencySumMs().isInfinite()) {
                out.add(new FieldViolation(at + ".latencySumMs", "min", "must be a finite number >= 0"));
            }
            if (s.latencyBucketsMs() == null) {
                out.add(new FieldViolation(at + ".latencyBucketsMs", "required", "is required"));
            } else if (!s.latencyBucketsMs().equals(LatencyHistogram.BOUNDS_MS)) {
                out.add(new FieldViolation(at + ".latencyBucketsMs", "standard-buckets",
                        "must be the standard bounds " + LatencyHistogram.BOUNDS_MS));
            }
            if (s.latencyCounts() == null) {
                out.add(new FieldViolation(at + ".latencyCounts", "required", "is required"));
            } else if (s.latencyCounts().size() != LatencyHistogram.COUNTS) {
                out.add(new FieldViolation(at + ".latencyCounts", "size",
                        "must have " + LatencyHistogram.COUNTS + " counts (one per bucket, the last for > 20000 ms)"));
            } else {
                long sum = 0;
                boolean bad = false;
                for (Long c : s.latencyCounts()) {
                    if (c == null || c < 0) {
                        bad = true;
                    } else {
                        sum += c;
                    }
                }
                if (bad) {
                    out.add(new FieldViolation(at + ".latencyCounts", "min", "must all be integers >= 0"));
                } else if (s.requests() != null && sum > s.requests()) {
                    out.add(new FieldViolation(at + ".latencyCounts", "max", "must not add up to more than requests"));
                }
            }
            if (s.flag() != null && s.variant() != null && s.tenantId() != null
                    && !keys.add(s.flag() + "\u0000" + s.variant() + "\u0000" + s.tenantId())) {
                out.add(new FieldViolation(at, "unique", "repeats flag, variant and tenantId of an earlier series"));
            }
            if (out.size() >= 20) {
                break; // enough to fix; do not build a megabyte of errors
            }
        }
        return out;
    }

    private static void text(List<FieldViolation> out, String field, String value, Pattern pattern, String what) {
        if (value == null || value.isBlank()) {
            out.add(new FieldViolation(field, "required", "is required"));
        } else if (!pattern.matcher(value).matches()) {
            out.add(new FieldViolation(field, "pattern", "must be " + what));
        }
    }

    private static void count(List<FieldViolation> out, String field, Long value) {
        if (value == null) {
            out.add(new FieldViolation(field, "required", "is required"));
        } else if (value < 0) {
            out.add(new FieldViolation(field, "min", "must be an integer >= 0"));
        }
    }
}
