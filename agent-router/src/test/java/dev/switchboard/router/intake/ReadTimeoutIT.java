package dev.switchboard.router.intake;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.switchboard.router.support.GenericSigner;
import dev.switchboard.router.support.RouterTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A caller that stops sending in the middle of a request does not hold the connection: the read timeout (2 s here)
 * closes it, whether nothing of the declared body came or only part of it. Nor does one that keeps sending a byte at a
 * time: a request must arrive whole within the read timeout of its first byte (408). Nothing is forwarded.
 */
@TestPropertySource(properties = "switchboard.router.intake.read-timeout=2s")
class ReadTimeoutIT extends RouterTestBase {

    private static final Duration WAIT = Duration.ofSeconds(8);

    private String head(String body, long declaredLength) {
        Map<String, String> signed = GenericSigner.headers("generic_secret", "acme", body);
        StringBuilder r = new StringBuilder("POST /webhooks/generic HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n");
        signed.forEach((k, v) -> r.append(k).append(": ").append(v).append("\r\n"));
        return r.append("Content-Length: ").append(declaredLength).append("\r\n\r\n").toString();
    }

    /** Sends {@code bytes}, then nothing; returns how long the router took to close the connection. */
    private Duration closedAfter(String bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    answer.write(b);
                }
            } catch (SocketTimeoutException stillOpen) {
                fail("the connection was still open %d s after the caller stopped sending (answer so far: '%s')",
                        WAIT.toSeconds(), answer.toString(StandardCharsets.ISO_8859_1));
            } catch (IOException reset) {
                // closed by a reset: closed all the same
            }
            assertThat(answer.toString(StandardCharsets.ISO_8859_1)).doesNotStartWith("HTTP/1.1 200");
            return Duration.ofNanos(System.nanoTime() - started);
        }
    }

    @Test
    void headersDeclaringABodyThatNeverComesAreClosedByTheReadTimeout() throws IOException {
        String body = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"c-1\"}";
        assertThat(closedAfter(head(body, 1024 * 1024))).isLessThan(Duration.ofSeconds(6));
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBodyThatStopsHalfwayIsClosedByTheReadTimeout() throws IOException {
        String body = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"c-2\"}";
        assertThat(closedAfter(head(body, body.length()) + body.substring(0, body.length() / 2))).isLessThan(Duration.ofSeconds(6));
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    /** Sends {@code atOnce}, then {@code bytes} one every {@code gap}; returns what came back once the router closed. */
    private String trickle(String atOnce, String bytes, Duration gap) throws IOException, InterruptedException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(50);
            long started = System.nanoTime();
            socket.getOutputStream().write(atOnce.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
                try {
                    socket.getOutputStream().write(b);
                    socket.getOutputStream().flush();
                } catch (IOException closed) {
                    break;
                }
                try {
                    int r;
                    while ((r = socket.getInputStream().read()) >= 0) {
                        answer.write(r);
                    }
                    break; // closed by the router
                } catch (SocketTimeoutException nothingYet) {
                    // still open
                } catch (IOException reset) {
                    break;
                }
                if (Duration.ofNanos(System.nanoTime() - started).compareTo(WAIT) > 0) {
                    fail("a request trickling in was still open %d s after its first byte", WAIT.toSeconds());
                }
                Thread.sleep(gap.toMillis());
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void headersSentAByteAtATimeAreAnswered408WithinTheReadTimeout() throws Exception {
        String body = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"c-3\"}";
        // each byte comes well within the read timeout, the whole head never does
        String answer = trickle("", head(body, body.length()) + body, Duration.ofMillis(150));
        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout").contains("Content-Type: application/problem+json")
                .contains("\"field\":\"body\"").contains("\"rule\":\"request_timeout\"");
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aBodySentAByteAtATimeIsAnswered408WithinTheReadTimeout() throws Exception {
        String body = "{\"type\":\"turn\",\"id\":\"m-" + UUID.randomUUID() + "\",\"callId\":\"c-4\",\"pad\":\""
                + "x".repeat(200) + "\"}";
        // the head at once, then a byte every 100 ms: each well within the read timeout, the whole body never
        String answer = trickle(head(body, body.length()), body, Duration.ofMillis(100));
        assertThat(answer).startsWith("HTTP/1.1 408");
        V1.verify(0, anyRequestedFor(anyUrl()));
        V2.verify(0, anyRequestedFor(anyUrl()));
    }
}
