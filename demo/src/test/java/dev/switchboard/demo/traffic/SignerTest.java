package dev.switchboard.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The signatures the generator sends equal the providers' published test vectors (fixtures README). */
class SignerTest {

    @Test
    void twilioVector() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("Caller", "+12349013030");
        params.put("Digits", "1234");
        params.put("From", "+12349013030");
        params.put("To", "+18005551212");
        assertThat(Signer.twilio("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params))
                .isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    }

    @Test
    void vapiHmacVector() {
        String body = "{\"message\":{\"type\":\"status-update\",\"call\":{\"id\":\"call_1\",\"phoneNumberId\":\"pn_1\"},\"status\":\"in-progress\"}}";
        WebhookEvent event = new WebhookEvent("vapi", "status-update", "/webhooks/vapi", WebhookEvent.JSON, body, Map.of());
        Map<String, String> headers = new Signer(Optional.of("vapi_test_secret")).headers(event, "http://x/webhooks/vapi",
                1735689600_000L);
        assertThat(headers).containsEntry("x-timestamp", "1735689600")
                .containsEntry("x-signature", "593a983138d7a98264d18a7ed51f9dd2fa4d51bbb938889603a95f25f4ab367e");
    }

    @Test
    void retellVector() {
        String body = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"call_1\"}}";
        WebhookEvent event = new WebhookEvent("retell", "call_started", "/webhooks/retell", WebhookEvent.JSON, body, Map.of());
        assertThat(new Signer(Optional.of("key_test")).headers(event, "http://x/webhooks/retell", 1714608475945L))
                .containsEntry("x-retell-signature",
                        "v=1714608475945,d=43e88cb0fa5bf930bd7cefd31082fab31cbd64d038a2709607e961723d655b8e");
    }

    /** The router's generic scheme: the same vector as its own signature test (openssl dgst -sha256 -hmac). */
    @Test
    void genericSignsTimestampTenantAndBody() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
        WebhookEvent event = new WebhookEvent("generic", "x", "/webhooks/generic", WebhookEvent.JSON, body, Map.of());
        assertThat(new Signer(Optional.of("app_secret")).headers(event, "http://x/webhooks/generic", 1714608475_000L, "acme"))
                .containsEntry("X-Tenant-Id", "acme")
                .containsEntry("X-Signature-Timestamp", "1714608475")
                .containsEntry("X-Signature-256", "sha256=86035b8e90c721b6cf58f41aa376a2592907710c48c9317fd0778b28aa706c38");
    }

    @Test
    void noSecretNoHeaders() {
        WebhookEvent event = new WebhookEvent("vapi", "x", "/webhooks/vapi", WebhookEvent.JSON, "{}", Map.of());
        assertThat(new Signer(Optional.of(" ")).headers(event, "http://x", 1L)).isEmpty();
    }
}
