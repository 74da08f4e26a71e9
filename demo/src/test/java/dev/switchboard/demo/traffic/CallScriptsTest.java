package dev.switchboard.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generated calls have the fixtures' shape and the identifiers the tenant import registers. */
class CallScriptsTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final CallScripts scripts = new CallScripts();
    private final DemoTenant tenant = TenantCatalog.of(10).get(4);

    @Test
    void vapiCallIsAWholeCallWithTheFixturesFields() throws Exception {
        List<WebhookEvent> call = scripts.vapiCall(tenant, "call_x", 1735689600000L);
        assertThat(call).extracting(WebhookEvent::type).containsExactly("assistant-request", "tool-calls", "end-of-call-report");
        String[] fixtures = {"vapi-assistant-request.json", "vapi-tool-calls.json", "vapi-end-of-call-report.json"};
        for (int i = 0; i < 3; i++) {
            JsonNode generated = json.readTree(call.get(i).body());
            // every field path of the provider's real payload is present in ours
            assertThat(paths(generated)).containsAll(paths(json.readTree(fixture(fixtures[i]))));
            assertThat(generated.at("/message/call/id").asString()).isEqualTo("call_x");
            assertThat(generated.at("/message/call/phoneNumberId").asString()).isEqualTo(tenant.vapiPhoneNumberId());
            assertThat(call.get(i).path()).isEqualTo("/webhooks/vapi");
        }
        assertThat(json.readTree(call.get(0).body()).at("/message/phoneNumber/number").asString()).isEqualTo(tenant.vapiNumber());
    }

    @Test
    void twilioAndRetellCallsCarryTheTenantsNumbers() throws Exception {
        List<WebhookEvent> twilio = scripts.twilioCall(tenant, "CA123");
        assertThat(twilio).extracting(e -> e.form().get("CallStatus")).containsExactly("ringing", "completed");
        assertThat(twilio.get(0).form().keySet()).containsAll(formNames(fixture("twilio-voice.form")));
        assertThat(twilio.get(0).form()).containsEntry("To", tenant.twilioNumber()).containsEntry("CallSid", "CA123");
        assertThat(twilio.get(0).body()).contains("To=%2B1415555");
        assertThat(twilio.get(0).contentType()).isEqualTo(WebhookEvent.FORM);

        JsonNode retell = json.readTree(scripts.retellCall(tenant).get(0).body());
        assertThat(paths(retell)).containsAll(paths(json.readTree(fixture("retell-call-inbound.json"))));
        assertThat(retell.at("/call_inbound/to_number").asString()).isEqualTo(tenant.retellNumber());
    }

    @Test
    void importFileRegistersEveryIdentifierTheCallsUse() throws Exception {
        TenantCatalog catalog = TenantCatalog.of(300);
        JsonNode rows = json.readTree(catalog.importJson(json));
        assertThat(rows.size()).isEqualTo(300);
        JsonNode first = rows.get(0);
        assertThat(first.path("internal").asBoolean()).isTrue();
        assertThat(rows.get(3).path("internal").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        first.path("identifiers").forEach(i -> ids.add(i.path("provider").asString() + ":" + i.path("kind").asString()
                + ":" + i.path("value").asString()));
        DemoTenant t = catalog.get(0);
        assertThat(ids).containsExactlyInAnyOrder("vapi:phone_number_id:" + t.vapiPhoneNumberId(),
                "vapi:number:" + t.vapiNumber(), "twilio:number:" + t.twilioNumber(), "retell:number:" + t.retellNumber());
    }

    @Test
    void generatorMixesProvidersAndFavoursTheCanaryAsConfigured() {
        TrafficGenerator generator = new TrafficGenerator(new TrafficGenerator.Settings(
                List.of(java.net.URI.create("http://127.0.0.1:1")), 20, 0, 0.6, 0.3, 0.15, 10),
                TenantCatalog.of(300), new Signer(Optional.empty()));
        SplittableRandom random = new SplittableRandom(7);
        int vapi = 0;
        int twilio = 0;
        int retell = 0;
        int canary = 0;
        for (int i = 0; i < 5000; i++) {
            List<WebhookEvent> call = generator.nextCall(random);
            switch (call.get(0).provider()) {
                case "vapi" -> vapi++;
                case "twilio" -> twilio++;
                default -> retell++;
            }
            canary += generator.pickTenant(random).internal() ? 1 : 0;
        }
        generator.close();
        assertThat(vapi).isBetween(2800, 3200);
        assertThat(twilio).isBetween(1350, 1650);
        assertThat(retell).isBetween(400, 600);
        assertThat(canary).isBetween(600, 900);
    }

    private static List<String> paths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = prefix + "/" + e.getKey();
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            collect(node.get(0), prefix + "/0", out);
        }
    }

    private static List<String> formNames(String form) {
        List<String> names = new ArrayList<>();
        for (String pair : form.split("&")) {
            names.add(pair.substring(0, pair.indexOf('=')));
        }
        return names;
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = CallScriptsTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
