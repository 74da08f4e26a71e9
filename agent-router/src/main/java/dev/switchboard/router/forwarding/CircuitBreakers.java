package dev.switchboard.router.forwarding;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.Variant;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * One circuit breaker per variant. Opens are counted (a go/no-go input) and handed to the metric windows
 * through {@link #drainOpens}: the request whose failure tripped the breaker carries the open.
 */
@Component
public class CircuitBreakers {

    private final Map<Variant, CircuitBreaker> breakers = new EnumMap<>(Variant.class);
    private final Map<Variant, AtomicInteger> pendingOpens = new EnumMap<>(Variant.class);

    public CircuitBreakers(RouterProperties properties, MeterRegistry meters) {
        RouterProperties.CircuitBreaker c = properties.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(c.failureRateThreshold())
                .minimumNumberOfCalls(c.minimumNumberOfCalls())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(c.slidingWindowSize())
                .waitDurationInOpenState(c.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(Math.max(1, Math.min(10, c.minimumNumberOfCalls())))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        for (Variant v : Variant.values()) {
            CircuitBreaker breaker = CircuitBreaker.of("backend-" + v.id(), config);
            AtomicInteger pending = new AtomicInteger();
            Counter opens = Counter.builder("switchboard.router.circuit.opens").tag("variant", v.id())
                    .description("times the variant's circuit breaker opened").register(meters);
            breaker.getEventPublisher().onStateTransition(e -> {
                if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    opens.increment();
                    pending.incrementAndGet();
                }
            });
            Gauge.builder("switchboard.router.circuit.state", breaker, b -> stateValue(b.getState()))
                    .tag("variant", v.id())
                    .description("0 closed, 1 open, 2 half-open")
                    .register(meters);
            breakers.put(v, breaker);
            pendingOpens.put(v, pending);
        }
    }

    public CircuitBreaker of(Variant variant) {
        return breakers.get(variant);
    }

    /** Opens that happened since the last call, attributed to the caller's metric series. */
    public int drainOpens(Variant variant) {
        return pendingOpens.get(variant).getAndSet(0);
    }

    private static double stateValue(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }
}
