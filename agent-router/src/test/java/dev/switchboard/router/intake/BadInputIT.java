package dev.switchboard.router.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.signatures.RetellSignature;
import dev.switchboard.router.signatures.TwilioSignature;
import dev.switchboard.router.support.RouterTestBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Caller mistakes: clear 4xx problem+json, counted, never forwarded, never a 5xx from the router. */
class BadInputIT extends RouterTestBase {

    private void expect(int status, String rule, String path, MediaType type, byte[] body) {
        client.post().uri(path)
                .headers(h -> {
                    if (type != null) {
                        h.setContentType(type);
                    }
                    h.add("X-Vapi-Secret", "vapi_test_secret");
                })
                .bodyValue(body).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.rule").isEqualTo(rule);
    }

    @Test
    void eachKindOfBadInputGetsItsOwn4xx() {
        byte[] json = "{\"message\":".getBytes(StandardCharsets.UTF_8);
        expect(400, "malformed_json", "/webhooks/vapi", MediaType.APPLICATION_JSON, json);
        expect(400, "malformed_json", "/webhooks/vapi", MediaType.APPLICATION_JSON, "[1,2]".getBytes(StandardCharsets.UTF_8));
        expect(415, "unsupported_media_type", "/webhooks/vapi", MediaType.TEXT_PLAIN, "{}".getBytes(StandardCharsets.UTF_8));
        expect(415, "unsupported_media_type", "/webhooks/twilio/voice", MediaType.APPLICATION_JSON, "{}".getBytes(StandardCharsets.UTF_8));
        expect(400, "missing_field", "/webhooks/vapi", MediaType.APPLICATION_JSON, "{\"message\":{\"call\":{}}}".getBytes(StandardCharsets.UTF_8));
        expect(404, "unknown_provider", "/webhooks/bland", MediaType.APPLICATION_JSON, "{}".getBytes(StandardCharsets.UTF_8));
        expect(400, "empty_body", "/webhooks/vapi", MediaType.APPLICATION_JSON, new byte[0]);
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        expect(413, "body_too_large", "/webhooks/vapi", MediaType.APPLICATION_JSON, big);
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
        client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
                .value(s -> assertThat(s).contains("switchboard_router_rejected_total"));
    }

    /** The intake reads bodies itself (Reactor Netty, not WebFlux): the edges of that reading, each a 4xx or a pass. */
    @Test
    void bodiesWithoutDeclaredLengthAndOddHeadersAreHandledAtTheIntake() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        byte[] big = new byte[1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        // no Content-Length: chunked, so the limit can only be enforced while reading
        java.net.http.HttpResponse<String> chunked = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/vapi"))
                .header("Content-Type", "application/json").header("X-Vapi-Secret", "vapi_test_secret")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("\"rule\":\"body_too_large\"");
        assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        // an unparseable Content-Type is treated as a wrong one
        java.net.http.HttpResponse<String> oddType = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/vapi"))
                .header("Content-Type", "application/json;;;=").header("X-Vapi-Secret", "vapi_test_secret")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(oddType.statusCode()).isEqualTo(415);
        assertThat(oddType.body()).contains("\"rule\":\"unsupported_media_type\"");
        // other methods on an intake path are not webhooks: Spring answers them, never a 5xx, nothing forwarded
        client.get().uri("/webhooks/vapi").exchange().expectStatus().value(s -> assertThat(s).isBetween(400, 499));
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void missingProviderFieldsOnSignedTwilioAndRetellAre400() {
        String form = "AccountSid=AC1&To=%2B14155550199";
        String sig = TwilioSignature.sign("12345", "https://router.example.com/webhooks/twilio/voice",
                FormBody.parse(form.getBytes(StandardCharsets.UTF_8)));
        client.post().uri("/webhooks/twilio/voice").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Twilio-Signature", sig).bodyValue(form).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("CallSid");
        String retell = "{\"event\":\"call_started\",\"call\":{}}";
        client.post().uri("/webhooks/retell").contentType(MediaType.APPLICATION_JSON)
                .header("x-retell-signature", RetellSignature.sign("key_test", retell.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis()))
                .bodyValue(retell).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("call.call_id");
        // the generic intake's tenant header is checked (and signed) before anything else
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.field").isEqualTo("X-Tenant-Id");
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * Fuzz: thousands of seeded mutations of the fixtures (bit flips, truncation, splices, junk, wrong types),
     * some with a valid signature over the mutated bytes. Never a 5xx; unsigned or tampered ones never
     * reach a backend; the only forwarded ones are validly signed and parseable.
     */
    @Test
    void mutatedFixturesNeverProduce5xxOrForwardInvalidEvents() {
        Random random = new Random(20261122L);
        List<String> seeds = List.of(fixture("vapi-assistant-request.json"), fixture("vapi-tool-calls.json"),
                fixture("vapi-end-of-call-report.json"));
        int forwardedExpectedMax = 0;
        int signedAndValid = 0;
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String seed = seeds.get(random.nextInt(seeds.size())).replace("\"call_1\"", "\"fz-" + i + "\"");
            byte[] mutated = mutate(seed.getBytes(StandardCharsets.UTF_8), random);
            boolean sign = random.nextInt(4) == 0;
            int status = client.post().uri("/webhooks/vapi")
                    .headers(h -> {
                        h.setContentType(random.nextInt(10) == 0 ? MediaType.TEXT_PLAIN : MediaType.APPLICATION_JSON);
                        h.add("X-Vapi-Secret", sign ? "vapi_test_secret" : "vapi_test_secreT");
                    })
                    .bodyValue(mutated).exchange()
                    .expectBody().returnResult().getStatus().value(); // read the body: an unread one holds a pooled connection
            statuses.add(status);
            assertThat(status).as("mutation %d", i).isLessThan(500);
            if (sign && status == 200) {
                signedAndValid++;
            }
        }
        // Unsigned (wrong secret) mutations were all refused before parsing; only validly signed events were forwarded.
        int forwarded = V1.findAll(postRequestedFor(urlEqualTo("/webhooks/vapi"))).size()
                + V2.findAll(postRequestedFor(urlEqualTo("/webhooks/vapi"))).size();
        assertThat(forwarded).isEqualTo(signedAndValid);
        V1.findAll(postRequestedFor(anyUrl())).forEach(r -> assertThat(r.getHeader("X-Vapi-Secret")).isEqualTo("vapi_test_secret"));
        V2.findAll(postRequestedFor(anyUrl())).forEach(r -> assertThat(r.getHeader("X-Vapi-Secret")).isEqualTo("vapi_test_secret"));
        assertThat(statuses).contains(400, 401);
    }

    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int k = 0; k < 1 + random.nextInt(5); k++) {
                    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                byte[] junk = new byte[random.nextInt(64)];
                random.nextBytes(junk);
                int at = random.nextInt(out.length);
                byte[] spliced = new byte[out.length + junk.length];
                System.arraycopy(out, 0, spliced, 0, at);
                System.arraycopy(junk, 0, spliced, at, junk.length);
                System.arraycopy(out, at, spliced, at + junk.length, out.length - at);
                out = spliced;
            }
            case 3 -> out = new String(out, StandardCharsets.UTF_8).replaceFirst("\"type\":\"[^\"]*\"", "\"type\":" + random.nextInt())
                    .getBytes(StandardCharsets.UTF_8);
            case 4 -> out = new String(out, StandardCharsets.UTF_8).replace("\"call\":{", "\"call\":[{").getBytes(StandardCharsets.UTF_8);
            case 5 -> out = ("{\"message\":" + UUID.randomUUID() + "}").getBytes(StandardCharsets.UTF_8);
            default -> { /* unchanged: a valid event */ }
        }
        return out.length == 0 ? new byte[] {'{'} : out;
    }
}
