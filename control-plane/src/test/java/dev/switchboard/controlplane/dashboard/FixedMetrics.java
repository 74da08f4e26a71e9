package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.metrics.Comparison;
import dev.switchboard.controlplane.metrics.ComparisonSource;
import dev.switchboard.controlplane.metrics.MinutePoint;
import dev.switchboard.controlplane.metrics.VariantStats;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;

/**
 * Known numbers in place of the guard's metric source (not on this branch yet): v2 healthy with a p95 in the
 * warning band for every flag, except flags whose name starts with {@code nogo}, whose v2 error rate is above
 * the 5% no-go line. Primary, so the guard's real source can land beside it without breaking these tests.
 */
@TestConfiguration(proxyBeanMethods = false)
class FixedMetrics {

    static final VariantStats V1 = new VariantStats("v1", 12000, 96, 0.008, 3000, 30, 0.01, 410, 690, 0, 2);
    static final VariantStats V2_OK = new VariantStats("v2", 1500, 18, 0.012, 380, 5, 0.013, 450, 850, 0, 1);
    static final VariantStats V2_BAD = new VariantStats("v2", 1500, 120, 0.08, 380, 50, 0.13, 700, 1400, 3, 9);

    @Bean
    @Primary
    ComparisonSource fixedComparisonSource() {
        return new ComparisonSource() {
            @Override
            public Mono<Comparison> compare(String flag, Duration window) {
                return Mono.just(new Comparison(flag, Optional.empty(), window, Instant.now(), V1,
                        flag.startsWith("nogo") ? V2_BAD : V2_OK));
            }

            @Override
            public Mono<Comparison> compareTenant(String flag, String tenantId, Duration window) {
                return Mono.just(new Comparison(flag, Optional.of(tenantId), window, Instant.now(), V1, V2_OK));
            }

            @Override
            public Mono<List<MinutePoint>> perMinute(String flag, Duration window) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                List<MinutePoint> points = new ArrayList<>();
                for (int i = 59; i >= 0; i--) {
                    Instant minute = now.minus(Duration.ofMinutes(i));
                    points.add(new MinutePoint(minute, "v1", 200, 0.006 + (i % 7) * 0.001, 650 + (i % 5) * 15));
                    points.add(new MinutePoint(minute, "v2", 25, 0.01 + (i % 4) * 0.003, 780 + (i % 6) * 20));
                }
                return Mono.just(points);
            }
        };
    }
}
