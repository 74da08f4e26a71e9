package dev.switchboard.controlplane.stages;

/** One go criterion of a stage, as shown in the plan and in a 409 refusing an advance. */
public record Criterion(String name, double value, double threshold, long sampleSize, boolean passed, String rule) {
}
