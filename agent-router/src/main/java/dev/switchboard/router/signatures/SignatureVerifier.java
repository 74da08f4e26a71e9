package dev.switchboard.router.signatures;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.config.RouterProperties.ProviderSecrets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Checks a webhook's signature on its raw bytes before anything else looks at them. Secrets are configured
 * globally and/or per tenant. The tenant is not known before parsing, so the request's tenant hint chooses the
 * secret: the generic intake's signed {@code X-Tenant-Id}, or the {@code tenant} query parameter of the webhook URL
 * a provider is configured with. With a hint, that tenant's secret then the global one are tried; without one,
 * the global secret only: an unauthenticated request costs at most two HMACs, however many tenants there are.
 * Vapi's plain shared token (no HMAC) is compared against every token in constant time. A tenant-owned match is
 * bound to that tenant (checked after resolution).
 */
@Component
public class SignatureVerifier {

    private final RouterProperties.Signatures config;
    private final VapiSignature vapi;
    private final TwilioSignature twilio = new TwilioSignature();
    private final RetellSignature retell;
    private final GenericSignature generic;

    public SignatureVerifier(RouterProperties properties, Clock clock) {
        this.config = properties.signatures();
        this.vapi = new VapiSignature(clock, config.maxAge());
        this.retell = new RetellSignature(clock, config.maxAge());
        this.generic = new GenericSignature(clock, config.maxAge());
    }

    public SignatureCheck verify(
            Provider provider,
            WebhookHeaders headers,
            byte[] rawBody,
            String twilioUrl,
            Supplier<Map<String, List<String>>> formParams,
            String tenantHint) {
        ProviderSecrets secrets = secretsFor(provider);
        if (!secrets.verify()) {
            return SignatureCheck.notRequired();
        }
        if (secrets.tenantSecrets().isEmpty() && secrets.globalSecret().isEmpty()) {
            // Fail closed: a provider without a secret is refused unless verify=false is set on purpose.
            return SignatureCheck.failed("no secret configured for provider " + provider.id());
        }
        boolean plainToken = provider == Provider.VAPI && headers.first("x-signature") == null;
        List<Candidate> candidates = plainToken ? candidates(secrets) : candidates(secrets, tenantHint);
        if (provider == Provider.GENERIC) {
            String timestamp = headers.first("x-signature-timestamp");
            if (timestamp == null || !generic.fresh(timestamp)) {
                return SignatureCheck.failed(timestamp == null ? "signature timestamp header missing"
                        : "signature timestamp outside the replay window");
            }
        }
        int tried = 0;
        for (Candidate candidate : candidates) {
            tried++;
            boolean match = switch (provider) {
                case VAPI -> vapi.matches(candidate.secret(), headers, rawBody);
                case TWILIO -> twilioUrl != null
                        && twilio.matches(candidate.secret(), twilioUrl, formParams.get(), headers.first("x-twilio-signature"));
                case RETELL -> retell.matches(candidate.secret(), rawBody, headers.first("x-retell-signature"));
                case GENERIC -> generic.matches(candidate.secret(), rawBody, tenantHint,
                        headers.first("x-signature-timestamp"), headers.first("x-signature-256"));
            };
            if (match) {
                return SignatureCheck.ok(candidate.tenant(), tried);
            }
        }
        return SignatureCheck.failed(missingHeader(provider, headers) ? "signature header missing" : "signature mismatch or stale", tried);
    }

    private static boolean missingHeader(Provider provider, WebhookHeaders headers) {
        return switch (provider) {
            case VAPI -> headers.first("x-signature") == null
                    && headers.first("x-vapi-secret") == null
                    && headers.first("authorization") == null;
            case TWILIO -> headers.first("x-twilio-signature") == null;
            case RETELL -> headers.first("x-retell-signature") == null;
            case GENERIC -> headers.first("x-signature-256") == null;
        };
    }

    private ProviderSecrets secretsFor(Provider provider) {
        return switch (provider) {
            case VAPI -> config.vapi();
            case TWILIO -> config.twilio();
            case RETELL -> config.retell();
            case GENERIC -> config.generic();
        };
    }

    /** The hinted tenant's secret (if it has one), then the global secret: at most two. */
    private static List<Candidate> candidates(ProviderSecrets secrets, String tenantHint) {
        List<Candidate> list = new ArrayList<>(2);
        if (tenantHint != null) {
            String own = secrets.tenantSecrets().get(tenantHint);
            if (own != null && !own.isBlank()) {
                list.add(new Candidate(own, Optional.of(tenantHint)));
            }
        }
        secrets.globalSecret().ifPresent(s -> list.add(new Candidate(s, Optional.empty())));
        return list;
    }

    /** Every plain token (compared in constant time, no HMAC). */
    private static List<Candidate> candidates(ProviderSecrets secrets) {
        List<Candidate> list = new ArrayList<>();
        secrets.tenantSecrets().forEach((tenant, secret) -> {
            if (secret != null && !secret.isBlank()) {
                list.add(new Candidate(secret, Optional.of(tenant)));
            }
        });
        secrets.globalSecret().ifPresent(s -> list.add(new Candidate(s, Optional.empty())));
        return list;
    }
}
