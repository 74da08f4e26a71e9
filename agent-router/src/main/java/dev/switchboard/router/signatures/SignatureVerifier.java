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
 * globally and/or per tenant; since the tenant is not known before parsing, every candidate secret of the
 * provider is tried, and a tenant-owned match is bound to that tenant (checked after resolution).
 */
@Component
public class SignatureVerifier {

    private final RouterProperties.Signatures config;
    private final VapiSignature vapi;
    private final TwilioSignature twilio = new TwilioSignature();
    private final RetellSignature retell;
    private final GenericSignature generic = new GenericSignature();

    public SignatureVerifier(RouterProperties properties, Clock clock) {
        this.config = properties.signatures();
        this.vapi = new VapiSignature(clock, config.maxAge());
        this.retell = new RetellSignature(clock, config.maxAge());
    }

    public SignatureCheck verify(
            Provider provider,
            WebhookHeaders headers,
            byte[] rawBody,
            String twilioUrl,
            Supplier<Map<String, List<String>>> formParams) {
        ProviderSecrets secrets = secretsFor(provider);
        if (!secrets.verify()) {
            return SignatureCheck.notRequired();
        }
        List<Candidate> candidates = candidates(secrets);
        if (candidates.isEmpty()) {
            // Fail closed: a provider without a secret is refused unless verify=false is set on purpose.
            return SignatureCheck.failed("no secret configured for provider " + provider.id());
        }
        for (Candidate candidate : candidates) {
            boolean match = switch (provider) {
                case VAPI -> vapi.matches(candidate.secret(), headers, rawBody);
                case TWILIO -> twilioUrl != null
                        && twilio.matches(candidate.secret(), twilioUrl, formParams.get(), headers.first("x-twilio-signature"));
                case RETELL -> retell.matches(candidate.secret(), rawBody, headers.first("x-retell-signature"));
                case GENERIC -> generic.matches(candidate.secret(), rawBody, headers.first("x-signature-256"));
            };
            if (match) {
                return SignatureCheck.ok(candidate.tenant());
            }
        }
        return SignatureCheck.failed(missingHeader(provider, headers) ? "signature header missing" : "signature mismatch or stale");
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
