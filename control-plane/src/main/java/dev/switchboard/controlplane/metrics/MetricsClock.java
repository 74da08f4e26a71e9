package dev.switchboard.controlplane.metrics;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The time the metric and guard features read. A holder rather than a {@code Clock} bean so it never clashes
 * with another feature's clock; tests and benchmarks build the guard's pure parts with their own clock.
 */
@Component
public class MetricsClock {

    private final Clock clock;

    public MetricsClock() {
        this(Clock.systemUTC());
    }

    public MetricsClock(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }
}
