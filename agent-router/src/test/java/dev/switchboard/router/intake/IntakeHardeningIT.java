package dev.switchboard.router.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.router.support.GenericSigner;
import dev.switchboard.router.support.RouterTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

/** One test per intake gap: each is refused (4xx problem+json) or contained, and nothing reaches a backend twice. */
@ExtendWith(OutputCaptureExtension.class)
class IntakeHardeningIT extends RouterTestBase {

    private static String genericBody(String id) {
        return "{\"type\":\"turn\"" + (id == null ? "" : ",\"id\":\"" + id + "\"") + ",\"callId\":\"c-" + UUID.randomUUID() + "\"}";
    }

    private int postGeneric(Map<String, String> headers, String body) {
        return client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> headers.forEach(h::add)).bodyValue(body).exchange()
                .returnResult(String.class).getStatus().value();
    }

    @Test
    void aCapturedGenericRequestCannotBeReplayedForAnotherTenant() {
        String body = genericBody("m-" + UUID.randomUUID());
        Map<String, String> signed = GenericSigner.headers("generic_secret", "acme", body);
        Map<String, String> otherTenant = new LinkedHashMap<>(signed);
        otherTenant.put("X-Tenant-Id", "globex");
        assertThat(postGeneric(otherTenant, body)).isEqualTo(401);
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
        assertThat(postGeneric(signed, body)).isEqualTo(200);
    }

    @Test
    void aGenericRequestOutsideTheReplayWindowIsRefused() {
        String body = genericBody("m-" + UUID.randomUUID());
        long tenMinutesAgo = System.currentTimeMillis() / 1000 - 600;
        assertThat(postGeneric(GenericSigner.headers("generic_secret", "acme", body, tenMinutesAgo), body)).isEqualTo(401);
        Map<String, String> noTimestamp = new LinkedHashMap<>(GenericSigner.headers("generic_secret", "acme", body));
        noTimestamp.remove("X-Signature-Timestamp");
        assertThat(postGeneric(noTimestamp, body)).isEqualTo(401);
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void twoTenantHeadersAreRefused() {
        String body = genericBody("m-" + UUID.randomUUID());
        Map<String, String> signed = GenericSigner.headers("generic_secret", "acme", body);
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> {
                    signed.forEach(h::add);
                    h.add("X-Tenant-Id", "globex");
                })
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.rule").isEqualTo("duplicate_header").jsonPath("$.field").isEqualTo("X-Tenant-Id");
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTenantIdBreakingTheRuleIsRefused() {
        String body = genericBody("m-" + UUID.randomUUID());
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> GenericSigner.headers("generic_secret", "acme/../x", body).forEach(h::add))
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.rule").isEqualTo("invalid_tenant_id");
    }

    @Test
    void aBodyWithoutIdIsForwardedOnceHoweverOftenItIsReplayed() {
        String body = genericBody(null);
        Map<String, String> signed = GenericSigner.headers("generic_secret", "acme", body);
        for (int i = 0; i < 5; i++) {
            assertThat(postGeneric(signed, body)).isEqualTo(200);
        }
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic")).withRequestBody(containing(body.substring(20))));
    }

    @Test
    void theSameMessageIdInTwoTenantsIsTwoEventsWithTheirOwnAnswers() {
        String id = "m-" + UUID.randomUUID();
        V2.stubFor(post(urlEqualTo("/webhooks/generic")).willReturn(okJson("{\"for\":\"acme\"}")));
        V1.stubFor(post(urlEqualTo("/webhooks/generic")).willReturn(okJson("{\"for\":\"globex\"}")));
        String acme = genericBody(id);
        String globex = genericBody(id);
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> GenericSigner.headers("generic_secret", "acme", acme).forEach(h::add))
                .bodyValue(acme).exchange().expectStatus().isOk().expectBody().jsonPath("$.for").isEqualTo("acme");
        client.post().uri("/webhooks/generic").contentType(MediaType.APPLICATION_JSON)
                .headers(h -> GenericSigner.headers("generic_secret", "globex", globex).forEach(h::add))
                .bodyValue(globex).exchange().expectStatus().isOk().expectBody().jsonPath("$.for").isEqualTo("globex");
    }

    @Test
    void theSameCallIdInTwoTenantsIsPinnedPerTenant() {
        String callId = "c-" + UUID.randomUUID();
        String acme = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"" + callId + "\"}";
        String globex = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"" + callId + "\"}";
        // acme is on v2: its call is pinned there; globex (0 %) must not inherit that pin through the same call id
        assertThat(postGeneric(GenericSigner.headers("generic_secret", "acme", acme), acme)).isEqualTo(200);
        assertThat(postGeneric(GenericSigner.headers("generic_secret", "globex", globex), globex)).isEqualTo(200);
        V2.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic")).withHeader("X-Switchboard-Tenant", equalTo("acme")));
        V2.verify(0, postRequestedFor(urlEqualTo("/webhooks/generic")).withHeader("X-Switchboard-Tenant", equalTo("globex")));
        V1.verify(1, postRequestedFor(urlEqualTo("/webhooks/generic")).withHeader("X-Switchboard-Tenant", equalTo("globex")));
    }

    // --- strict HTTP/1.1, on a raw socket ---

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && answer.size() > 200) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // whatever arrived
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private String signedGenericRequest(String extraHeaders, String framing, String body) {
        Map<String, String> signed = GenericSigner.headers("generic_secret", "acme", body);
        StringBuilder r = new StringBuilder("POST /webhooks/generic HTTP/1.1\r\n");
        signed.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        r.append("Content-Type: application/json\r\n").append(extraHeaders).append(framing).append("\r\n");
        return r.toString();
    }

    private static String chunked(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    @Test
    void transferEncodingThatIsNotChunkedWithAContentLengthIsRefused() throws IOException {
        String body = genericBody("m-" + UUID.randomUUID());
        String answer = raw(signedGenericRequest("Host: router\r\n",
                "Transfer-Encoding: xchunked\r\nContent-Length: " + body.length() + "\r\n", body) + body);
        assertThat(answer).startsWith("HTTP/1.1 400");
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void twoTransferEncodingsWhereChunkedIsNotLastAreRefused() throws IOException {
        String body = genericBody("m-" + UUID.randomUUID());
        String answer = raw(signedGenericRequest("Host: router\r\n",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", body) + chunked(body));
        assertThat(answer).startsWith("HTTP/1.1 400");
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void http11WithoutHostIsRefused() throws IOException {
        String body = genericBody("m-" + UUID.randomUUID());
        String answer = raw(signedGenericRequest("", "Content-Length: " + body.length() + "\r\n", body) + body);
        assertThat(answer).startsWith("HTTP/1.1 400");
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void headerFoldingIsRefused() throws IOException {
        String body = genericBody("m-" + UUID.randomUUID());
        String answer = raw(signedGenericRequest("Host: router\r\nX-Note: first\r\n  folded\r\n",
                "Content-Length: " + body.length() + "\r\n", body) + body);
        // refused on the raw bytes, before the HTTP codec, with the same problem+json as every other refusal
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request").contains("Content-Type: application/problem+json")
                .contains("\"field\":\"headers\"").contains("\"rule\":\"invalid_framing\"");
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aWellFormedRawRequestStillPasses() throws IOException {
        String body = genericBody("m-" + UUID.randomUUID());
        String answer = raw(signedGenericRequest("Host: router\r\n", "Content-Length: " + body.length() + "\r\n", body) + body);
        assertThat(answer).startsWith("HTTP/1.1 200");
    }

    /** A caller that goes away mid-body is not the router's failure: no ERROR line, no stack trace, from the first abort on. */
    @Test
    void clientAbortsLeaveNoErrorAndNoStackTraceInTheLog(CapturedOutput output) throws Exception {
        int before = output.getAll().length(); // only what the aborts below cause
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                String body = genericBody("m-" + UUID.randomUUID());
                String head = signedGenericRequest("Host: router\r\n", "Content-Length: " + (body.length() + 100) + "\r\n", body);
                socket.getOutputStream().write((head + body).getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0); // reset, as a caller that gives up
            }
        }
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(3)).atMost(java.time.Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    java.util.List<String> lines = output.getAll().substring(before).lines().toList();
                    assertThat(lines).as("ERROR lines after 20 client aborts").noneMatch(l -> l.contains(" ERROR "));
                    assertThat(lines).as("stack trace lines after 20 client aborts").noneMatch(l -> l.startsWith("\tat "));
                });
        // the router is still answering
        String body = genericBody("m-" + UUID.randomUUID());
        assertThat(postGeneric(GenericSigner.headers("generic_secret", "acme", body), body)).isEqualTo(200);
    }

    @Test
    void clientAbortsAreCountedAndLoggedAtDebugOnly(CapturedOutput output) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                String body = genericBody("m-" + UUID.randomUUID());
                String head = signedGenericRequest("Host: router\r\n", "Content-Length: " + (body.length() + 100) + "\r\n", body);
                socket.getOutputStream().write((head + body).getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0); // reset, as a caller that gives up
            }
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                client.get().uri("/actuator/prometheus").exchange().expectBody(String.class).value(s -> assertThat(
                        s.lines().filter(l -> l.startsWith("switchboard_router_client_aborts_total"))
                                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum())
                        .isGreaterThanOrEqualTo(100)));
        assertThat(output.getAll()).doesNotContain("router failure").doesNotContain(" ERROR ");
    }
}
