package dev.switchboard.demo.agent;

import java.util.Locale;
import java.util.Map;

/**
 * What a simulated agent does to each webhook: fail a share of them, answer after a latency drawn around a
 * median with Gaussian jitter, or be down altogether. Changed while the agent runs (admin endpoint).
 */
public record AgentKnobs(double errorRate, int latencyMedianMs, int latencyJitterMs, boolean outage) {

    public static final AgentKnobs HEALTHY = new AgentKnobs(0.0, 40, 15, false);

    public AgentKnobs {
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException("errorRate must be between 0 and 1, got " + errorRate);
        }
        if (latencyMedianMs < 0 || latencyMedianMs > 60_000) {
            throw new IllegalArgumentException("latencyMs must be between 0 and 60000, got " + latencyMedianMs);
        }
        if (latencyJitterMs < 0 || latencyJitterMs > 60_000) {
            throw new IllegalArgumentException("jitterMs must be between 0 and 60000, got " + latencyJitterMs);
        }
    }

    /**
     * Applies the parameters the caller gave (errorRate, latencyMs, jitterMs, outage=on|off) and keeps the rest.
     * Unknown names are refused so a typo never looks like a change that did nothing.
     */
    public AgentKnobs with(Map<String, String> params) {
        double rate = errorRate;
        int median = latencyMedianMs;
        int jitter = latencyJitterMs;
        boolean down = outage;
        for (Map.Entry<String, String> p : params.entrySet()) {
            String value = p.getValue().trim();
            switch (p.getKey()) {
                case "errorRate" -> rate = parseDouble("errorRate", value);
                case "latencyMs" -> median = parseInt("latencyMs", value);
                case "jitterMs" -> jitter = parseInt("jitterMs", value);
                case "outage" -> down = parseSwitch(value);
                default -> throw new IllegalArgumentException(
                        "unknown knob '" + p.getKey() + "'; known: errorRate, latencyMs, jitterMs, outage");
            }
        }
        return new AgentKnobs(rate, median, jitter, down);
    }

    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"errorRate\":%s,\"latencyMs\":%d,\"jitterMs\":%d,\"outage\":%s}",
                errorRate, latencyMedianMs, latencyJitterMs, outage);
    }

    private static double parseDouble(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + value + "'");
        }
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer (milliseconds), got '" + value + "'");
        }
    }

    private static boolean parseSwitch(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("outage must be on or off, got '" + value + "'");
        };
    }
}
