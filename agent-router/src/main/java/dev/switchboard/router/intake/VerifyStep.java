package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.signatures.SignatureCheck;
import dev.switchboard.router.signatures.SignatureVerifier;
import org.springframework.stereotype.Component;

/** Step 2, verify: the signature on the raw bytes, the secret chosen by the tenant hint; nothing parsed before. */
@Component
class VerifyStep {

    private final SignatureVerifier signatures;
    private final RouterMetrics metrics;
    private final RouterProperties properties;

    VerifyStep(SignatureVerifier signatures, RouterMetrics metrics, RouterProperties properties) {
        this.signatures = signatures;
        this.metrics = metrics;
        this.properties = properties;
    }

    WebhookExchange apply(WebhookExchange x) {
        // Form decoding is part of Twilio's signature scheme; nothing else is parsed before the check passes.
        if (x.provider == Provider.TWILIO) {
            x.form = FormBody.parse(x.body);
        }
        SignatureCheck check = signatures.verify(x.provider, x.headers::get, x.body, twilioUrl(x.uri), () -> x.form,
                x.tenantHint == null && x.provider == Provider.GENERIC ? "" : x.tenantHint);
        if (!check.valid()) {
            metrics.signatureFailure(x.providerId(), check.reason().replace(' ', '_'));
            throw new WebhookRejection(401, "invalid_signature", signatureHeader(x.provider), check.reason());
        }
        x.signature = check;
        return x;
    }

    /** The URL Twilio signed: the configured public base + the request target as received (path and query). */
    private String twilioUrl(String uri) {
        String base = properties.publicUrl();
        if (base == null || base.isBlank()) {
            return null;
        }
        return base.replaceAll("/+$", "") + uri;
    }

    static String signatureHeader(Provider provider) {
        return switch (provider) {
            case VAPI -> "X-Vapi-Secret|Authorization|x-signature";
            case TWILIO -> "X-Twilio-Signature";
            case RETELL -> "x-retell-signature";
            case GENERIC -> "X-Signature-256";
        };
    }
}
