package dev.switchboard.controlplane.metrics;

import java.time.Instant;

/** One minute of one variant, for the dashboard's charts. */
public record MinutePoint(Instant minute, String variant, long requests, double errorRate, double p95LatencyMs) {
}
