package dev.switchboard.router.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.pinning.CallPinning;
import dev.switchboard.router.shared.SharedStore;
import dev.switchboard.router.tenants.TenantResolution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The pin / decide step with a plain {@link FlagDecision}: no SDK, no control plane, no server. */
class DecideStepTest {

    private final AtomicReference<Variant> flag = new AtomicReference<>(Variant.V2);
    private final AtomicInteger asked = new AtomicInteger();
    private final DecideStep step = new DecideStep(tenant -> {
        asked.incrementAndGet();
        return flag.get();
    }, new CallPinning(properties(), new SimpleMeterRegistry(), SharedStore.none()));

    private static RouterProperties properties() {
        return new Binder(new MapConfigurationPropertySource(Map.of(
                "switchboard.router.control-plane-url", "http://cp", "switchboard.router.client-token", "t",
                "switchboard.router.router-token", "r", "switchboard.router.v1-url", "http://v1",
                "switchboard.router.v2-url", "http://v2", "switchboard.router.unleash.backup-file", "/tmp/x",
                "switchboard.router.tenants.cache-file", "/tmp/y")))
                .bind("switchboard.router", RouterProperties.class).get();
    }

    private static WebhookExchange event(String tenant, String callId, boolean ends) {
        WebhookExchange x = new WebhookExchange(Provider.GENERIC, "/webhooks/generic", new DefaultHttpHeaders(), "r", 0, null);
        x.event = new ParsedEvent(Provider.GENERIC, "turn", Optional.ofNullable(callId), Optional.empty(), List.of(),
                Optional.ofNullable(tenant), ends);
        x.tenant = new TenantResolution(Optional.ofNullable(tenant), Optional.empty());
        return x;
    }

    @Test
    void aCallKeepsTheVariantOfItsFirstEventThroughARollback() {
        WebhookExchange first = step.apply(event("acme", "c1", false)).block();
        assertThat(first.variant).isEqualTo(Variant.V2);
        assertThat(first.newCall).isTrue();
        flag.set(Variant.V1); // total rollback
        WebhookExchange second = step.apply(event("acme", "c1", false)).block();
        assertThat(second.variant).isEqualTo(Variant.V2);
        assertThat(second.newCall).isFalse();
        assertThat(step.apply(event("acme", "c2", false)).block().variant).isEqualTo(Variant.V1);
    }

    @Test
    void pinsAreScopedByTenant() {
        assertThat(step.apply(event("acme", "same-id", false)).block().variant).isEqualTo(Variant.V2);
        flag.set(Variant.V1);
        assertThat(step.apply(event("globex", "same-id", false)).block().variant).isEqualTo(Variant.V1);
    }

    @Test
    void anUnresolvedTenantStaysOnV1WithoutAskingTheFlag() {
        assertThat(step.apply(event(null, "c3", false)).block().variant).isEqualTo(Variant.V1);
        assertThat(asked).hasValue(0);
    }

    @Test
    void anEventWithoutCallIsDecidedEachTime() {
        assertThat(step.apply(event("acme", null, false)).block().variant).isEqualTo(Variant.V2);
        flag.set(Variant.V1);
        assertThat(step.apply(event("acme", null, false)).block().variant).isEqualTo(Variant.V1);
        assertThat(asked).hasValue(2);
    }
}
