package dev.switchboard.router.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.signatures.RetellSignature;
import dev.switchboard.router.signatures.TwilioSignature;
import dev.switchboard.router.signatures.VapiSignature;
import dev.switchboard.router.support.RouterTestBase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Intake → signature → tenant → decision → forwarding, per provider, against WireMock backends. */
class WebhookRoutingIT extends RouterTestBase {

    @Test
    void vapiAssistantRequestForAllowedTenantGoesToV2WithSameBodyAndHeaders() {
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID());
        client.post().uri("/webhooks/vapi")
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "vapi_test_secret")
                .header("X-Request-ID", "req-123")
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-ID", "req-123")
                .expectHeader().valueEquals("X-Switchboard-Variant", "v2")
                .expectBody().json("{\"from\":\"v2\"}");
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi"))
                .withRequestBody(binaryEqualTo(body.getBytes(StandardCharsets.UTF_8)))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("X-Vapi-Secret", equalTo("vapi_test_secret"))
                .withHeader("X-Switchboard-Variant", equalTo("v2"))
                .withHeader("X-Switchboard-Tenant", equalTo("acme"))
                .withHeader("X-Request-ID", equalTo("req-123")));
        V1.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void vapiHmacSignatureIsAccepted() {
        String body = vapi("vapi-tool-calls.json", "call-" + UUID.randomUUID());
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("x-timestamp", ts)
                .header("x-signature", VapiSignature.sign("vapi_test_secret", ts, body.getBytes(StandardCharsets.UTF_8)))
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectHeader().exists("X-Request-ID");
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")));
    }

    @Test
    void unknownIdentifierGoesToV1AsUnresolved() {
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()).replace("pn_1", "pn_unknown")
                .replace("+14155550199", "+18005550000");
        client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", "Bearer vapi_test_secret")
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Switchboard-Variant", "v1");
        V1.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")).withHeader("X-Switchboard-Tenant", equalTo("_unresolved")));
        V2.verify(0, anyRequestedFor(anyUrl()));
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(s -> assertThat(s).contains("switchboard_router_tenants_unresolved_total{provider=\"vapi\"}"));
    }

    @Test
    void deniedTenantGoesToV1() {
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID()).replace("pn_1", "pn_beta");
        client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "beta_secret")
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Switchboard-Variant", "v1");
        V1.verify(1, postRequestedFor(urlEqualTo("/webhooks/vapi")).withHeader("X-Switchboard-Tenant", equalTo("beta")));
    }

    @Test
    void tenantSecretCannotSignAnotherTenantsEvent() {
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID());
        client.post().uri("/webhooks/vapi").contentType(MediaType.APPLICATION_JSON)
                .header("X-Vapi-Secret", "beta_secret")
                .bodyValue(body).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType("application/problem+json");
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void twilioVoiceIsVerifiedOverPublicUrlAndTwimlComesBackUnchanged() {
        String twiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>v2</Say></Response>";
        V2.stubFor(any(anyUrl()).willReturn(aResponse().withHeader("Content-Type", "text/xml").withBody(twiml)));
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        String form = fixture("twilio-voice.form").trim().replace("CA1234567890ABCDE", callSid);
        Map<String, List<String>> params = FormBody.parse(form.getBytes(StandardCharsets.UTF_8));
        String signature = TwilioSignature.sign("12345", "https://router.example.com/webhooks/twilio/voice", params);
        client.post().uri("/webhooks/twilio/voice")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Twilio-Signature", signature)
                .bodyValue(form).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/xml")
                .expectBody(String.class).isEqualTo(twiml);
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/twilio/voice"))
                .withRequestBody(binaryEqualTo(form.getBytes(StandardCharsets.UTF_8)))
                .withHeader("X-Twilio-Signature", equalTo(signature)));
    }

    @Test
    void retellInboundResolvesByNumber() {
        String body = fixture("retell-call-inbound.json").trim();
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        client.post().uri("/webhooks/retell").contentType(MediaType.APPLICATION_JSON)
                .header("x-retell-signature", RetellSignature.sign("key_test", raw, System.currentTimeMillis()))
                .bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Switchboard-Variant", "v2");
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/retell")).withHeader("X-Switchboard-Tenant", equalTo("acme")));
    }

    @Test
    void genericTakesTenantFromHeader() {
        String body = "{\"type\":\"ping\",\"callId\":\"g-" + UUID.randomUUID() + "\"}";
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> dev.switchboard.router.support.GenericSigner.headers("generic_secret", "acme", body).forEach(h::add))
                .bodyValue(body).exchange()
                .expectStatus().isOk();
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic")).withHeader("X-Switchboard-Tenant", equalTo("acme")));
    }

    @Test
    void badSignaturesAre401AndNeverForwarded() {
        String body = vapi("vapi-assistant-request.json", "call-" + UUID.randomUUID());
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String stale = Long.toString(System.currentTimeMillis() / 1000 - 600);
        // tampered body
        expect401("/webhooks/vapi", MediaType.APPLICATION_JSON, body.replace("ringing", "in-progress"),
                Map.of("x-timestamp", now, "x-signature", VapiSignature.sign("vapi_test_secret", now, raw)));
        // wrong key
        expect401("/webhooks/vapi", MediaType.APPLICATION_JSON, body,
                Map.of("x-timestamp", now, "x-signature", VapiSignature.sign("wrong", now, raw)));
        // stale timestamp
        expect401("/webhooks/vapi", MediaType.APPLICATION_JSON, body,
                Map.of("x-timestamp", stale, "x-signature", VapiSignature.sign("vapi_test_secret", stale, raw)));
        // no credentials at all
        expect401("/webhooks/vapi", MediaType.APPLICATION_JSON, body, Map.of());
        String retell = fixture("retell-call-inbound.json").trim();
        byte[] retellRaw = retell.getBytes(StandardCharsets.UTF_8);
        expect401("/webhooks/retell", MediaType.APPLICATION_JSON, retell,
                Map.of("x-retell-signature", RetellSignature.sign("key_test", retellRaw, System.currentTimeMillis() - 301_000)));
        expect401("/webhooks/retell", MediaType.APPLICATION_JSON, retell.replace("agent_1", "agent_2"),
                Map.of("x-retell-signature", RetellSignature.sign("key_test", retellRaw, System.currentTimeMillis())));
        String form = fixture("twilio-voice.form").trim();
        String sig = TwilioSignature.sign("12345", "https://router.example.com/webhooks/twilio/voice",
                FormBody.parse(form.getBytes(StandardCharsets.UTF_8)));
        expect401("/webhooks/twilio/voice", MediaType.APPLICATION_FORM_URLENCODED, form.replace("ringing", "completed"),
                Map.of("X-Twilio-Signature", sig));
        expect401("/webhooks/generic", MediaType.APPLICATION_JSON, "{\"type\":\"x\"}",
                Map.of("X-Tenant-Id", "acme", "X-Signature-256", "sha256=00"));
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
        client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                .value(s -> assertThat(s).contains("switchboard_router_signature_failures_total"));
    }

    private void expect401(String path, MediaType type, String body, Map<String, String> headers) {
        client.post().uri(path).contentType(type)
                .headers(h -> headers.forEach(h::add))
                .bodyValue(body).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.rule").isEqualTo("invalid_signature");
    }
}
