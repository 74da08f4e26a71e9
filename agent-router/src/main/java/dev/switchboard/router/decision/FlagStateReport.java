package dev.switchboard.router.decision;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.pinning.CallPinning;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The flag state a router decides on, for people and alerts: revision, source and age as gauges
 * ({@code switchboard_router_flag_state_age_seconds}, {@code switchboard_router_flag_revision}) and as readiness
 * details. Always UP: a router deciding from its last known state is doing its job; the age says how stale it is.
 */
@Component("flagState")
class FlagStateReport implements HealthIndicator {

    private final FlagDecider decider;
    private final String flag;

    FlagStateReport(FlagDecider decider, RouterProperties properties, MeterRegistry meters, CallPinning pinning) {
        this.decider = decider;
        this.flag = properties.flagName();
        Gauge.builder("switchboard.router.calls.v2.after.rollback", () -> decider.flagEnabled() ? 0 : pinning.count(Variant.V2))
                .description("v2 calls still running after a total rollback (new calls go to v1)")
                .register(meters);
        Gauge.builder("switchboard.router.flag.state.age", this::ageSeconds)
                .baseUnit("seconds")
                .description("how long ago the control plane last confirmed the flag state this router decides on (0 while its source is healthy)")
                .register(meters);
        Gauge.builder("switchboard.router.flag.revision", () -> decider.revisions().revisionOf(flag))
                .tag("flag", flag)
                .description("revision of the flag this router decides on")
                .register(meters);
    }

    double ageSeconds() {
        long millis = decider.stateAge().toMillis();
        return millis == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : millis / 1000.0;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("flag", flag);
        details.put("revision", decider.revisions().revisionOf(flag));
        details.put("source", decider.source());
        double age = ageSeconds();
        details.put("stateAgeSeconds", Double.isInfinite(age) ? "never confirmed" : age);
        return Health.up().withDetails(details).build();
    }
}
