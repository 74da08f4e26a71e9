package dev.switchboard.router.pinning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.Variant;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every event of a call goes to the variant its first event went to, so a rollout change mid-call never
 * splits a conversation. Bounded and expiring: a call whose end event never arrives is forgotten after the TTL.
 */
@Component
public class CallPinning {

    private final Cache<String, Variant> pins;

    public CallPinning(RouterProperties properties, MeterRegistry meters, FlagDecider decider) {
        this.pins = Caffeine.newBuilder()
                .maximumSize(properties.pinning().maxCalls())
                .expireAfterAccess(properties.pinning().ttl())
                .executor(Runnable::run)
                .build();
        for (Variant v : Variant.values()) {
            Gauge.builder("switchboard.router.calls.inflight", () -> count(v))
                    .tag("variant", v.id())
                    .description("calls pinned to a variant and not ended yet")
                    .register(meters);
        }
        Gauge.builder("switchboard.router.calls.v2.after.rollback", () -> decider.flagEnabled() ? 0 : count(Variant.V2))
                .description("v2 calls still running after a total rollback (new calls go to v1)")
                .register(meters);
    }

    /** Returns the pinned variant, pinning {@code decision} when the call is new. */
    public Pin pin(String provider, String callId, Supplier<Variant> decision) {
        String key = provider + "|" + callId;
        Variant existing = pins.getIfPresent(key);
        if (existing != null) {
            return new Pin(existing, false);
        }
        Variant decided = decision.get();
        Variant winner = pins.asMap().putIfAbsent(key, decided);
        return winner == null ? new Pin(decided, true) : new Pin(winner, false);
    }

    public void end(String provider, String callId) {
        pins.invalidate(provider + "|" + callId);
    }

    public long count(Variant variant) {
        return pins.asMap().values().stream().filter(v -> v == variant).count();
    }

    public record Pin(Variant variant, boolean newCall) {}
}
