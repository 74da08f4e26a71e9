package dev.switchboard.router.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * 100 tenants with their own Retell secret: a request costs at most two HMACs (its hinted tenant's secret, then
 * the global one), never one per tenant, whether it is genuine or not.
 */
class TenantHintSecretsTest {

    private static final byte[] BODY = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"c1\"}}".getBytes(StandardCharsets.UTF_8);

    private static SignatureVerifier verifier() {
        Map<String, String> p = new HashMap<>();
        p.put("switchboard.router.control-plane-url", "http://cp");
        p.put("switchboard.router.client-token", "t");
        p.put("switchboard.router.router-token", "r");
        p.put("switchboard.router.v1-url", "http://v1");
        p.put("switchboard.router.v2-url", "http://v2");
        p.put("switchboard.router.unleash.backup-file", "/tmp/x");
        p.put("switchboard.router.tenants.cache-file", "/tmp/y");
        p.put("switchboard.router.signatures.retell.secret", "global_key");
        for (int i = 0; i < 100; i++) {
            p.put("switchboard.router.signatures.retell.tenants.tenant-" + i, "key_" + i);
        }
        RouterProperties properties = new Binder(new MapConfigurationPropertySource(p))
                .bind("switchboard.router", RouterProperties.class).get();
        return new SignatureVerifier(properties, Clock.systemUTC());
    }

    private static SignatureCheck check(SignatureVerifier verifier, String key, String hint) {
        String header = RetellSignature.sign(key, BODY, System.currentTimeMillis());
        return verifier.verify(Provider.RETELL, name -> name.equals("x-retell-signature") ? header : null, BODY, null,
                Map::of, hint);
    }

    @Test
    void anUnauthenticatedRequestCostsAtMostTwoHmacs() {
        SignatureVerifier verifier = verifier();
        SignatureCheck forged = check(verifier, "forged", "tenant-42");
        assertThat(forged.valid()).isFalse();
        assertThat(forged.secretsTried()).isEqualTo(2);
        SignatureCheck noHint = check(verifier, "forged", null);
        assertThat(noHint.valid()).isFalse();
        assertThat(noHint.secretsTried()).isEqualTo(1);
    }

    @Test
    void theHintedTenantsOwnSecretIsTriedFirstAndBindsTheTenant() {
        SignatureVerifier verifier = verifier();
        SignatureCheck own = check(verifier, "key_42", "tenant-42");
        assertThat(own.valid()).isTrue();
        assertThat(own.secretsTried()).isEqualTo(1);
        assertThat(own.keyTenant()).isEqualTo(Optional.of("tenant-42"));
        // another tenant's secret under this hint is not accepted
        assertThat(check(verifier, "key_7", "tenant-42").valid()).isFalse();
        // the global secret still works, with or without a hint
        assertThat(check(verifier, "global_key", "tenant-42").valid()).isTrue();
        assertThat(check(verifier, "global_key", null).valid()).isTrue();
    }
}
