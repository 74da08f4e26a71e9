package dev.switchboard.router.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixture vectors, each recomputed, plus the tamper / wrong key / stale variants. */
class SignatureVectorsTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static Map<String, List<String>> twilioParams() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("To", List.of("+18005551212"));
        p.put("CallSid", List.of("CA1234567890ABCDE"));
        p.put("Caller", List.of("+12349013030"));
        p.put("Digits", List.of("1234"));
        p.put("From", List.of("+12349013030"));
        return p;
    }

    @Test
    void twilioVector() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(TwilioSignature.sign("12345", url, twilioParams())).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        TwilioSignature twilio = new TwilioSignature();
        assertThat(twilio.matches("12345", url, twilioParams(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isTrue();
        assertThat(twilio.matches("54321", url, twilioParams(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        Map<String, List<String>> tampered = twilioParams();
        tampered.put("Digits", List.of("9999"));
        assertThat(twilio.matches("12345", url, tampered, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        assertThat(twilio.matches("12345", "https://mycompany.com/other.php?foo=1&bar=2", twilioParams(),
                "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).isFalse();
        assertThat(twilio.matches("12345", url, twilioParams(), null)).isFalse();
    }

    private static final byte[] VAPI_BODY =
            "{\"message\":{\"type\":\"status-update\",\"call\":{\"id\":\"call_1\",\"phoneNumberId\":\"pn_1\"},\"status\":\"in-progress\"}}"
                    .getBytes(StandardCharsets.UTF_8);
    private static final String VAPI_SIG = "593a983138d7a98264d18a7ed51f9dd2fa4d51bbb938889603a95f25f4ab367e";

    private static WebhookHeaders headers(Map<String, String> h) {
        return name -> h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void vapiHmacVector() {
        assertThat(VapiSignature.sign("vapi_test_secret", "1735689600", VAPI_BODY)).isEqualTo(VAPI_SIG);
        VapiSignature vapi = new VapiSignature(at(Instant.ofEpochSecond(1735689600 + 30)), WINDOW);
        WebhookHeaders ok = headers(Map.of("x-signature", VAPI_SIG, "x-timestamp", "1735689600"));
        assertThat(vapi.matches("vapi_test_secret", ok, VAPI_BODY)).isTrue();
        assertThat(vapi.matches("wrong_secret", ok, VAPI_BODY)).isFalse();
        byte[] tampered = new String(VAPI_BODY, StandardCharsets.UTF_8).replace("pn_1", "pn_2").getBytes(StandardCharsets.UTF_8);
        assertThat(vapi.matches("vapi_test_secret", ok, tampered)).isFalse();
        VapiSignature later = new VapiSignature(at(Instant.ofEpochSecond(1735689600).plus(Duration.ofMinutes(6))), WINDOW);
        assertThat(later.matches("vapi_test_secret", ok, VAPI_BODY)).isFalse();
        assertThat(vapi.matches("vapi_test_secret", headers(Map.of("x-signature", VAPI_SIG)), VAPI_BODY)).isFalse();
    }

    @Test
    void vapiSharedSecretAndBearer() {
        VapiSignature vapi = new VapiSignature(Clock.systemUTC(), WINDOW);
        assertThat(vapi.matches("s3cret", headers(Map.of("X-Vapi-Secret", "s3cret")), VAPI_BODY)).isTrue();
        assertThat(vapi.matches("s3cret", headers(Map.of("Authorization", "Bearer s3cret")), VAPI_BODY)).isTrue();
        assertThat(vapi.matches("s3cret", headers(Map.of("X-Vapi-Secret", "s3cre")), VAPI_BODY)).isFalse();
        assertThat(vapi.matches("s3cret", headers(Map.of("Authorization", "Basic s3cret")), VAPI_BODY)).isFalse();
        assertThat(vapi.matches("s3cret", headers(Map.of()), VAPI_BODY)).isFalse();
    }

    private static final byte[] RETELL_BODY = "{\"event\":\"call_started\",\"call\":{\"call_id\":\"call_1\"}}".getBytes(StandardCharsets.UTF_8);
    private static final String RETELL_HEADER = "v=1714608475945,d=43e88cb0fa5bf930bd7cefd31082fab31cbd64d038a2709607e961723d655b8e";

    @Test
    void retellVector() {
        assertThat(RetellSignature.sign("key_test", RETELL_BODY, 1714608475945L)).isEqualTo(RETELL_HEADER);
        RetellSignature retell = new RetellSignature(at(Instant.ofEpochMilli(1714608475945L + 1000)), WINDOW);
        assertThat(retell.matches("key_test", RETELL_BODY, RETELL_HEADER)).isTrue();
        assertThat(retell.matches("key_wrong", RETELL_BODY, RETELL_HEADER)).isFalse();
        assertThat(retell.matches("key_test", "{\"event\":\"call_started\",\"call\":{\"call_id\":\"call_2\"}}"
                .getBytes(StandardCharsets.UTF_8), RETELL_HEADER)).isFalse();
        RetellSignature stale = new RetellSignature(at(Instant.ofEpochMilli(1714608475945L).plus(Duration.ofMinutes(5)).plusMillis(1)), WINDOW);
        assertThat(stale.matches("key_test", RETELL_BODY, RETELL_HEADER)).isFalse();
        assertThat(retell.matches("key_test", RETELL_BODY, "garbage")).isFalse();
    }

    @Test
    void genericSignsTimestampTenantAndBody() {
        // openssl: printf '%s' '1714608475.acme.<body>' | openssl dgst -sha256 -hmac app_secret
        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        String expected = "86035b8e90c721b6cf58f41aa376a2592907710c48c9317fd0778b28aa706c38";
        assertThat(GenericSignature.sign("app_secret", "1714608475", "acme", body)).isEqualTo(expected);
        GenericSignature generic = new GenericSignature(at(Instant.ofEpochSecond(1714608475 + 60)), WINDOW);
        assertThat(generic.matches("app_secret", body, "acme", "1714608475", "sha256=" + expected)).isTrue();
        assertThat(generic.matches("other", body, "acme", "1714608475", "sha256=" + expected)).isFalse();
        // the tenant is signed: the same body and signature for another tenant is refused
        assertThat(generic.matches("app_secret", body, "globex", "1714608475", "sha256=" + expected)).isFalse();
        // outside the replay window
        GenericSignature later = new GenericSignature(at(Instant.ofEpochSecond(1714608475).plus(WINDOW).plusSeconds(1)), WINDOW);
        assertThat(later.matches("app_secret", body, "acme", "1714608475", "sha256=" + expected)).isFalse();
    }
}
