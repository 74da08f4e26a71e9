package dev.switchboard.router.pinning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.shared.SharedStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every event of a call goes to the variant its first event went to, so a rollout change mid-call never
 * splits a conversation, on whichever router each event lands. Keys are scoped by provider and tenant. With
 * shared state, the first router to see a call writes its pin to Redis (SET NX GET: one round trip, the first
 * writer wins) and every router reads it from there; a small local cache sits in front. Without Redis, or while
 * it is away, the pin is local (and written to Redis when it is back). Bounded and expiring: a call whose end
 * event never arrives is forgotten after the TTL.
 */
@Component
public class CallPinning {

    private final Cache<String, Variant> pins;
    private final SharedStore shared;
    private final Duration ttl;

    public CallPinning(RouterProperties properties, MeterRegistry meters, SharedStore shared) {
        this.shared = shared;
        this.ttl = properties.pinning().ttl();
        this.pins = Caffeine.newBuilder()
                .maximumSize(properties.pinning().maxCalls())
                .expireAfterAccess(ttl)
                .executor(Runnable::run)
                .build();
        for (Variant v : Variant.values()) {
            Gauge.builder("switchboard.router.calls.inflight", () -> count(v))
                    .tag("variant", v.id())
                    .description("calls pinned to a variant and not ended yet (seen by this router)")
                    .register(meters);
        }
    }

    /** Returns the pinned variant, pinning {@code decision} when the call is new to every router. */
    public Mono<Pin> pin(String provider, String tenant, String callId, Supplier<Variant> decision) {
        String key = provider + "|" + tenant + "|" + callId;
        Variant existing = pins.getIfPresent(key);
        if (existing != null) {
            return Mono.just(new Pin(existing, false));
        }
        Variant decided = decision.get();
        if (!shared.enabled()) {
            return Mono.just(local(key, decided));
        }
        String sharedKey = shared.key("pin", key);
        return shared.setIfAbsentOrGet(sharedKey, decided.id(), ttl)
                .map(other -> {
                    Variant theirs = "v2".equals(other) ? Variant.V2 : Variant.V1;
                    pins.put(key, theirs);
                    return new Pin(theirs, false);
                })
                .switchIfEmpty(Mono.fromSupplier(() -> local(key, decided)))
                .onErrorResume(SharedStore.SharedStateUnavailable.class, e -> {
                    Pin pin = local(key, decided);
                    if (pin.newCall()) {
                        shared.writeLater(sharedKey, decided.id(), ttl);
                    }
                    return Mono.just(pin);
                });
    }

    private Pin local(String key, Variant decided) {
        Variant winner = pins.asMap().putIfAbsent(key, decided);
        return winner == null ? new Pin(decided, true) : new Pin(winner, false);
    }

    /** Whether pins are shared between routers (Redis configured). */
    public boolean shared() {
        return shared.enabled();
    }

    public void end(String provider, String tenant, String callId) {
        String key = provider + "|" + tenant + "|" + callId;
        pins.invalidate(key);
        if (shared.available()) {
            shared.delete(shared.key("pin", key));
        }
    }

    public long count(Variant variant) {
        return pins.asMap().values().stream().filter(v -> v == variant).count();
    }

    public record Pin(Variant variant, boolean newCall) {}
}
