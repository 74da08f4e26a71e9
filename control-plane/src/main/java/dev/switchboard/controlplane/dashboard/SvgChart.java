package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.metrics.MinutePoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A line chart of the last hour per minute, v1 against v2, drawn on the server as inline SVG coordinates (no
 * chart library, nothing for the browser to fetch). The view box is fixed; CSS scales it to the screen.
 *
 * @param thresholds dashed horizontal lines (the go/no-go figures) in chart coordinates, with their labels
 */
record SvgChart(String title, String unit, String v1Points, String v2Points, String maxLabel,
                List<Threshold> thresholds, boolean hasData, String summary) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    private static final int PAD = 4;

    record Threshold(double y, String label) {
    }

    static SvgChart of(String title, String unit, List<MinutePoint> points, Instant until, Duration span,
                       ToDoubleFunction<MinutePoint> value, double[] thresholdValues, boolean percent) {
        double max = 0;
        for (MinutePoint p : points) {
            max = Math.max(max, value.applyAsDouble(p));
        }
        for (double t : thresholdValues) {
            max = Math.max(max, t * 1.1);
        }
        final double top = max <= 0 ? 1 : max;
        Instant from = until.minus(span);
        String v1 = line(points, "v1", from, span, top, value);
        String v2 = line(points, "v2", from, span, top, value);
        List<Threshold> lines = java.util.Arrays.stream(thresholdValues)
                .mapToObj(t -> new Threshold(y(t, top), format(t, percent))).toList();
        long v1Count = points.stream().filter(p -> "v1".equals(p.variant())).count();
        long v2Count = points.stream().filter(p -> "v2".equals(p.variant())).count();
        String summary = title + ": " + minutes(v1Count) + " of v1 and " + minutes(v2Count) + " of v2 data; latest v1 "
                + latest(points, "v1", value, percent) + ", latest v2 " + latest(points, "v2", value, percent);
        return new SvgChart(title, unit, v1, v2, format(top, percent), lines, !points.isEmpty(), summary);
    }

    private static String line(List<MinutePoint> points, String variant, Instant from, Duration span, double top,
                               ToDoubleFunction<MinutePoint> value) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        String last = "";
        double spanMs = span.toMillis();
        for (MinutePoint p : points) {
            if (!variant.equals(p.variant())) {
                continue;
            }
            double x = PAD + (WIDTH - 2 * PAD) * Math.max(0, Math.min(1, (p.minute().toEpochMilli() - from.toEpochMilli()) / spanMs));
            last = String.format(Locale.ROOT, "%.1f,%.1f ", x, y(value.applyAsDouble(p), top));
            sb.append(last);
            n++;
        }
        if (n == 1) {
            // a polyline of one point draws nothing: repeat it, and the round line cap shows it as a dot
            sb.append(last);
        }
        return sb.toString().trim();
    }

    private static String minutes(long n) {
        return n + (n == 1 ? " minute" : " minutes");
    }

    private static double y(double value, double top) {
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * Math.min(1, value / top);
    }

    private static String latest(List<MinutePoint> points, String variant, ToDoubleFunction<MinutePoint> value,
                                 boolean percent) {
        MinutePoint last = null;
        for (MinutePoint p : points) {
            if (variant.equals(p.variant())) {
                last = p;
            }
        }
        return last == null ? "none" : format(value.applyAsDouble(last), percent);
    }

    private static String format(double v, boolean percent) {
        return percent ? GoNoGo.percent(v) : GoNoGo.ms(v);
    }
}
