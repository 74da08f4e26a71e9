package dev.switchboard.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of {@link ApiClient} (HttpURLConnection) where the real control plane cannot be made to
 * misbehave: what goes on the wire, answers that are not JSON, a 401 to a request with a body, and a connection
 * dropped before the answer, which must not send a change twice.
 */
class ApiClientTest {

    private static final WireMockServer SERVER = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void reset() {
        SERVER.resetAll();
    }

    private static CliRun cli() {
        return new CliRun(Map.of("SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:" + SERVER.port(),
                "SWITCHBOARD_TOKEN", "wire-token", "XDG_CONFIG_HOME", home.resolve("config").toString()), home,
                question -> Optional.empty());
    }

    @Test
    void sendsTheTokenAcceptAndAJsonBodyAndReadsTheAnswer() {
        SERVER.stubFor(post("/api/v1/alerts/7/ack").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":7,\"acknowledgedBy\":\"ops\"}")));

        CliRun.Result ack = cli().run("alerts", "ack", "7", "--reason", "on it, \"really\" ✓");

        assertThat(ack.exit()).as(ack.toString()).isZero();
        assertThat(ack.out()).contains("alert 7 acknowledged by ops");
        SERVER.verify(1, postRequestedFor(urlEqualTo("/api/v1/alerts/7/ack"))
                .withHeader("Authorization", equalTo("Bearer wire-token"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json, application/problem+json"))
                .withHeader("User-Agent", equalTo("switchboard-cli"))
                .withRequestBody(equalToJson("{\"reason\":\"on it, \\\"really\\\" ✓\"}")));
    }

    @Test
    void aChangeIsNeverSentTwiceWhenTheConnectionDropsBeforeTheAnswer() {
        SERVER.stubFor(post("/api/v1/alerts/7/ack").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        CliRun.Result ack = cli().run("alerts", "ack", "7", "--reason", "x");

        assertThat(ack.exit()).as(ack.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(ack.err()).startsWith("error: cannot reach the control plane at http://127.0.0.1:");
        SERVER.verify(1, postRequestedFor(urlEqualTo("/api/v1/alerts/7/ack")));
    }

    @Test
    void aRejectedTokenOnARequestWithABodyIsReportedAsSuch() {
        SERVER.stubFor(post("/api/v1/alerts/7/ack").willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer").withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":401,\"detail\":\"a valid API token is required\"}")));

        CliRun.Result ack = cli().run("alerts", "ack", "7", "--reason", "x");

        assertThat(ack.exit()).as(ack.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(ack.err().strip()).isEqualTo("error: the control plane did not accept the token (from "
                + "SWITCHBOARD_TOKEN): a valid API token is required");
    }

    @Test
    void anHtmlErrorPageBecomesOneLine() {
        SERVER.stubFor(get(urlPathEqualTo("/api/v1/flags")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html><body>Bad gateway</body></html>\n<p>x</p>")));

        CliRun.Result status = cli().run("status");

        assertThat(status.exit()).as(status.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(status.err().strip()).isEqualTo("error: control plane unavailable (502): "
                + "<html><body>Bad gateway</body></html>");
        SERVER.verify(getRequestedFor(urlPathEqualTo("/api/v1/flags")));
    }

    @Test
    void anErrorWithoutABodyStillGetsItsLine() {
        SERVER.stubFor(get(urlPathEqualTo("/api/v1/flags")).willReturn(aResponse().withStatus(403)));

        CliRun.Result status = cli().run("status");

        assertThat(status.exit()).as(status.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(status.err().strip()).isEqualTo("error: refused (403): your role does not allow this action");
    }
}
