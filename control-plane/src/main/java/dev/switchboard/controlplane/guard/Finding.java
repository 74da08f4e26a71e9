package dev.switchboard.controlplane.guard;

/**
 * One rule's judgement, with everything needed to explain it: the value seen, the threshold it was held to,
 * the v1 baseline where the rule is relative, the number of samples, and the statistical confidence where
 * the rule is statistical (NaN otherwise).
 *
 * @param window "5m" (the sliding window), "20s" (the recent window) or "1h" (circuit opens)
 */
public record Finding(String rule, Severity severity, String scope, String window, double value, double threshold,
                      Double baseline, long sampleSize, Double confidence, String message) {

    public boolean breaching() {
        return severity != Severity.OK;
    }
}
