package dev.switchboard.router.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 200 connections send the headers of a webhook declaring a 1 MiB body, then nothing. The router (its own JVM,
 * -Xmx256m) keeps its heap under a quarter of -Xmx while they hang, and its read timeout closes every one of them.
 */
class SlowConnectionsIT {

    private static final int CONNECTIONS = 200;
    private static final long XMX_MB = 256;

    private Process router;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (router != null) {
            router.destroy();
            if (!router.waitFor(10, TimeUnit.SECONDS)) {
                router.destroyForcibly();
            }
        }
    }

    @Test
    void headerOnlyConnectionsCostNoBufferAndAreClosedByTheReadTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("slow-connections");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        router = new ProcessBuilder(java, "-Xmx" + XMX_MB + "m", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
                "dev.switchboard.router.AgentRouterApplication",
                "--server.port=" + port,
                "--switchboard.router.control-plane-url=http://127.0.0.1:9",
                "--switchboard.router.client-token=t",
                "--switchboard.router.router-token=r",
                "--switchboard.router.v1-url=http://127.0.0.1:9",
                "--switchboard.router.v2-url=http://127.0.0.1:9",
                "--switchboard.router.unleash.mode=POLLING",
                "--switchboard.router.unleash.backup-file=" + dir.resolve("unleash.json"),
                "--switchboard.router.tenants.cache-file=" + dir.resolve("identifiers.json"),
                "--switchboard.router.signatures.generic.secret=s",
                "--switchboard.router.intake.read-timeout=3s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("router.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        URI prometheus = URI.create("http://127.0.0.1:" + port + "/actuator/prometheus");
        Awaitility.await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        String head = "POST /webhooks/generic HTTP/1.1\r\nHost: router\r\nContent-Type: application/json\r\n"
                + "X-Tenant-Id: acme\r\nContent-Length: 1048576\r\n\r\n";
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            sockets.add(socket);
        }
        long started = System.nanoTime();
        Thread.sleep(1000);
        // a full collection, then the heap as the router reports it
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(router.pid()), "GC.run")
                .redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        double heapMb = heapUsedMb(http, prometheus);
        System.out.printf("[slow-connections] heap used after a full GC with %d header-only connections: %.1f MB of -Xmx%dm%n",
                CONNECTIONS, heapMb, XMX_MB);
        assertThat(sockets.stream().filter(Socket::isClosed)).isEmpty(); // all still hanging while measured
        assertThat(heapMb).as("heap used with %d header-only connections, MB (-Xmx%dm)", CONNECTIONS, XMX_MB)
                .isLessThan(XMX_MB * 0.25);

        // every connection is closed by the read timeout (3 s), none left hanging
        for (Socket socket : sockets) {
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // a 408 may come first; read to the end
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // still open 15 s later: fail now rather than wait 15 s for each of the others
                org.assertj.core.api.Assertions.fail("connection %d still open %d ms after the headers were sent",
                        sockets.indexOf(socket), Duration.ofNanos(System.nanoTime() - started).toMillis());
            } catch (IOException reset) {
                // closed by reset: as good
            }
        }
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("[slow-connections] all %d closed by the router %d ms after they sent their headers%n",
                CONNECTIONS, closedAfter.toMillis());
        assertThat(closedAfter).isLessThan(Duration.ofSeconds(14));
    }

    private static double heapUsedMb(HttpClient http, URI prometheus) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
    }
}
