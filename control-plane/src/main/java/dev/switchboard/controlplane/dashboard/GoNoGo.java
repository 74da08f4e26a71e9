package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.metrics.VariantStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The go/no-go thresholds of docs/rollout.md, applied to one variant's numbers: error rate 2% / 5%, p95
 * latency 800 / 1200 ms, failed calls 3% / 10%, circuit-breaker opens 0 / more than 2. Below the first figure is
 * ok, up to the second a warning, above it no-go. Every verdict carries its words, so colour is never the only
 * signal.
 */
final class GoNoGo {

    enum Level {
        OK("ok"), WARN("warning"), NO_GO("no-go"), INFO("");

        final String word;

        Level(String word) {
            this.word = word;
        }
    }

    /** One line of a variant card: the value, how it compares to its threshold, on how many samples. */
    record Line(String label, String value, Level level, String threshold, String sample) {
        public String levelWord() {
            return level.word;
        }

        public String css() {
            return level.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private GoNoGo() {
    }

    static List<Line> lines(VariantStats s) {
        List<Line> lines = new ArrayList<>();
        String requests = count(s.requests()) + " requests";
        String calls = count(s.calls()) + " calls";
        lines.add(new Line("Calls", count(s.calls()), Level.INFO, "", count(s.requests()) + " webhook requests"));
        lines.add(new Line("Error rate", percent(s.errorRate()), level(s.errorRate(), 0.02, 0.05),
                "ok below 2%, no-go above 5%", count(s.errors()) + " errors of " + requests));
        lines.add(new Line("Avg latency", ms(s.avgLatencyMs()), Level.INFO, "", requests));
        lines.add(new Line("p95 latency", ms(s.p95LatencyMs()), level(s.p95LatencyMs(), 800, 1200),
                "ok below 800 ms, no-go above 1200 ms", requests));
        lines.add(new Line("Failed calls", count(s.failedCalls()) + " (" + percent(s.failedCallsRate()) + ")",
                level(s.failedCallsRate(), 0.03, 0.10), "ok below 3%, no-go above 10%", "of " + calls));
        lines.add(new Line("Circuit-breaker opens", count(s.circuitBreakerOpens()),
                s.circuitBreakerOpens() == 0 ? Level.OK : s.circuitBreakerOpens() > 2 ? Level.NO_GO : Level.WARN,
                "ok at 0, no-go above 2", "in the window"));
        lines.add(new Line("Failovers", count(s.failovers()), Level.INFO, "", "in the window"));
        return lines;
    }

    /** The criteria v2 fails, in words; empty means go. */
    static List<String> failing(VariantStats v2) {
        List<String> failing = new ArrayList<>();
        for (Line line : lines(v2)) {
            if (line.level() == Level.NO_GO) {
                failing.add(line.label() + " " + line.value() + " (" + line.threshold() + ")");
            }
        }
        return failing;
    }

    private static Level level(double value, double warnAt, double noGoAbove) {
        if (value > noGoAbove) {
            return Level.NO_GO;
        }
        return value >= warnAt ? Level.WARN : Level.OK;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String ms(double value) {
        return String.format(Locale.ROOT, "%.0f ms", value);
    }

    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
