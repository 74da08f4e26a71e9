package dev.switchboard.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Micrometer side of the router's metrics (scraped from /actuator/prometheus). */
@Component
public class RouterMetrics {

    private final MeterRegistry meters;
    private final MetricWindows windows;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry meters, MetricWindows windows) {
        this.meters = meters;
        this.windows = windows;
    }

    public void handled(WebhookOutcome o) {
        counter("switchboard.router.webhooks", "provider", o.provider(), "variant", o.variant(), "outcome", o.outcome()).increment();
        if (o.failover()) {
            counter("switchboard.router.failovers", "provider", o.provider(), "from", "v2", "to", "v1").increment();
        }
        if (o.latencyMs() >= 0) {
            timers.computeIfAbsent(o.variant(), v -> Timer.builder("switchboard.router.latency")
                    .tag("variant", v)
                    .description("end-to-end webhook latency through the router")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(meters))
                    .record(Duration.ofNanos((long) (o.latencyMs() * 1_000_000)));
        }
        windows.record(o);
    }

    public void rejected(String provider, int status, String reason) {
        counter("switchboard.router.webhooks", "provider", provider, "variant", "none", "outcome", "rejected").increment();
        counter("switchboard.router.rejected", "provider", provider, "status", Integer.toString(status), "reason", reason).increment();
    }

    public void signatureFailure(String provider, String reason) {
        counter("switchboard.router.signature.failures", "provider", provider, "reason", reason).increment();
    }

    public void unresolvedTenant(String provider) {
        counter("switchboard.router.tenants.unresolved", "provider", provider).increment();
    }

    private Counter counter(String name, String... tags) {
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(meters));
    }
}
