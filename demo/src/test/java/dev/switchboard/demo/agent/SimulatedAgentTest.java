package dev.switchboard.demo.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The agent on a random port, driven over HTTP the way the router and `bin/demo fault` drive it. */
class SimulatedAgentTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private SimulatedAgent agent;

    @BeforeEach
    void start() throws Exception {
        agent = new SimulatedAgent("v2", "127.0.0.1", 0).start();
        post("/admin/knobs?latencyMs=0&jitterMs=0", "", "application/x-www-form-urlencoded");
    }

    @AfterEach
    void stop() {
        agent.close();
    }

    @Test
    void answersEachProviderInItsOwnTerms() throws Exception {
        HttpResponse<String> assistant = post("/webhooks/vapi", fixture("vapi-assistant-request.json"), "application/json");
        assertThat(assistant.statusCode()).isEqualTo(200);
        assertThat(json.readTree(assistant.body()).path("assistant").path("metadata").path("variant").asString()).isEqualTo("v2");

        HttpResponse<String> tools = post("/webhooks/vapi", fixture("vapi-tool-calls.json"), "application/json");
        JsonNode expected = json.readTree(fixture("vapi-tool-calls-response.json"));
        assertThat(json.readTree(tools.body())).isEqualTo(expected);

        assertThat(post("/webhooks/vapi", fixture("vapi-end-of-call-report.json"), "application/json").statusCode()).isEqualTo(200);

        HttpResponse<String> twiml = post("/webhooks/twilio/voice", fixture("twilio-voice.form"), "application/x-www-form-urlencoded");
        assertThat(twiml.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
        assertThat(twiml.body()).startsWith("<?xml").contains("<Response><Say");

        HttpResponse<String> retell = post("/webhooks/retell", fixture("retell-call-inbound.json"), "application/json");
        assertThat(json.readTree(retell.body()).path("call_inbound").path("override_agent_id").asString()).isEqualTo("agent_v2_demo");

        assertThat(post("/webhooks/vapi", "{not json", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void knobsChangeWhileRunningAndResetRestoresHealthKeepingStats() throws Exception {
        HttpResponse<String> changed = post("/admin/knobs?errorRate=1", "", "application/x-www-form-urlencoded");
        assertThat(json.readTree(changed.body()).path("errorRate").asDouble()).isEqualTo(1.0);
        assertThat(post("/webhooks/vapi", fixture("vapi-assistant-request.json"), "application/json").statusCode()).isEqualTo(500);

        post("/admin/knobs", "errorRate=0&outage=on", "application/x-www-form-urlencoded");
        assertThat(post("/webhooks/twilio/voice", fixture("twilio-voice.form"), "application/x-www-form-urlencoded").statusCode())
                .isEqualTo(503);

        assertThat(post("/admin/knobs?errorRate=2", "", "application/x-www-form-urlencoded").statusCode()).isEqualTo(400);
        assertThat(agent.knobs().outage()).isTrue();

        post("/admin/reset", "", "application/x-www-form-urlencoded");
        assertThat(agent.knobs()).isEqualTo(AgentKnobs.HEALTHY);
        assertThat(agent.stats().withStatus(500)).isEqualTo(1);
        assertThat(agent.stats().withStatus(503)).isEqualTo(1);
    }

    private HttpResponse<String> post(String path, String body, String type) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + path))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = SimulatedAgentTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
