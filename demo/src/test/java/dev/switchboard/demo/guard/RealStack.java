package dev.switchboard.demo.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.testing.PostgresTestDatabase;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The product as it runs, for end-to-end guard tests: the real control-plane and agent-router jars as separate
 * processes (a private PostgreSQL), WireMock voice agents v1/v2, Slack and PagerDuty, and a webhook stream
 * through the router. Everything it starts it stops.
 */
final class RealStack implements AutoCloseable {

    static final String ADMIN = "stack-admin-token";
    static final String CLIENT = "stack-client-token";

    final PostgresTestDatabase db = PostgresTestDatabase.create();
    final WireMockServer v1 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final WireMockServer v2 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final WireMockServer slack = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final WireMockServer pagerDuty = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonMapper json = JsonMapper.builder().build();
    final int cpPort = freePort();
    final List<Process> processes = new ArrayList<>();
    final List<Integer> routerPorts = new ArrayList<>();
    private final Path logs;
    private ScheduledExecutorService traffic;
    final AtomicLong sent = new AtomicLong();
    /** Length of the routers' metric windows (the product's default is 2 s; the tests use 1 s). */
    String routerPushInterval = "1s";

    RealStack(String name) throws IOException {
        logs = Path.of("target", name);
        Files.createDirectories(logs);
        for (WireMockServer s : List.of(v1, v2, slack, pagerDuty)) {
            s.start();
        }
        for (WireMockServer agent : List.of(v1, v2)) {
            agent.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        }
        slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"ts\":\"1.1\"}")));
        pagerDuty.stubFor(post(urlPathEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"success\"}")));
    }

    static Path repoFile(String relative) {
        Path here = Path.of("").toAbsolutePath();
        Path root = Files.exists(here.resolve("pom.xml")) && Files.exists(here.resolve("control-plane")) ? here : here.getParent();
        return root.resolve(relative);
    }

    /** Starts the control plane with the given extra properties; router tokens are {@code id:secret} entries. */
    void startControlPlane(String routerTokens, String... properties) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--switchboard.alerts.slack.api-url=http://127.0.0.1:" + slack.port() + "/api/",
                "--switchboard.alerts.slack.bot-token=xoxb-test",
                "--switchboard.alerts.slack.channel=#voice-agent-alerts",
                "--switchboard.alerts.pagerduty.base-url=http://127.0.0.1:" + pagerDuty.port(),
                "--switchboard.alerts.pagerduty.routing-key=R0UT1NGKEY0123456789ABCDEFGHIJKL",
                "--switchboard.alerts.poll-interval=200ms",
                "--switchboard.guard.dashboard-url=http://127.0.0.1:" + cpPort + "/dashboard"));
        args.addAll(List.of(properties));
        start("control-plane", repoFile("control-plane/target/control-plane.jar"), Map.of(
                "SERVER_PORT", String.valueOf(cpPort),
                "SPRING_R2DBC_URL", db.r2dbcUrl(), "SPRING_R2DBC_USERNAME", db.user(),
                "SPRING_R2DBC_PASSWORD", db.password() == null ? "" : db.password(),
                "SPRING_FLYWAY_URL", db.jdbcUrl(),
                "SWITCHBOARD_BOOTSTRAP_ADMIN_TOKEN", ADMIN, "SWITCHBOARD_CLIENT_TOKEN", CLIENT,
                "SWITCHBOARD_ROUTER_TOKEN", routerTokens, "SWITCHBOARD_LOG_FORMAT", ""), args);
        awaitReady(cpPort, Duration.ofSeconds(120));
    }

    /** Starts a router bound to {@code routerId} with its token; returns its port. */
    int startRouter(String routerId, String token, String flag, String... properties) throws Exception {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of(
                "--switchboard.router.router-id=" + routerId, "--switchboard.router.flag-name=" + flag,
                "--switchboard.router.signatures.generic.verify=false",
                "--switchboard.router.unleash.mode=polling", "--switchboard.router.unleash.poll-interval=500ms",
                "--switchboard.router.metrics.push-interval=" + routerPushInterval,
                "--logging.level.io.getunleash=WARN"));
        args.addAll(List.of(properties));
        start(routerId, repoFile("agent-router/target/agent-router.jar"), Map.of(
                "SERVER_PORT", String.valueOf(port),
                "SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:" + cpPort,
                "SWITCHBOARD_CLIENT_TOKEN", CLIENT, "SWITCHBOARD_ROUTER_TOKEN", token,
                "SWITCHBOARD_V1_URL", "http://127.0.0.1:" + v1.port(), "SWITCHBOARD_V2_URL", "http://127.0.0.1:" + v2.port(),
                "SWITCHBOARD_PUBLIC_URL", "http://127.0.0.1:" + port,
                "SWITCHBOARD_UNLEASH_BACKUP_FILE", logs.resolve(routerId + "-unleash.json").toAbsolutePath().toString(),
                "SWITCHBOARD_IDENTIFIER_CACHE_FILE", logs.resolve(routerId + "-ids.json").toAbsolutePath().toString()), args);
        awaitReady(port, Duration.ofSeconds(120));
        routerPorts.add(port);
        return port;
    }

    private void start(String name, Path jar, Map<String, String> env, List<String> args) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -pl control-plane,agent-router -am package)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        processes.add(pb.start());
    }

    private void awaitReady(int port, Duration max) throws Exception {
        long until = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a process exited early, see " + logs.toAbsolutePath());
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("port " + port + " not ready in " + max + ", see " + logs.toAbsolutePath());
    }

    // ---- admin API ----

    JsonNode api(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
    }

    int status(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cpPort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- traffic ----

    /**
     * Generic webhooks at {@code perSecond} through the routers (round robin), tenant and failure marker chosen by
     * {@code next}: [tenant, "true" when the request carries the fault marker].
     */
    void startTraffic(int perSecond, Supplier<String[]> next) {
        traffic = Executors.newScheduledThreadPool(2);
        long periodMicros = 1_000_000L / perSecond;
        traffic.scheduleAtFixedRate(() -> {
            try {
                String[] t = next.get();
                int port = routerPorts.get((int) (sent.get() % routerPorts.size()));
                String body = "{\"type\":\"turn\",\"id\":\"" + UUID.randomUUID() + "\",\"callId\":\"c-"
                        + ThreadLocalRandom.current().nextInt(1_000_000) + "\",\"fail\":" + t[1] + "}";
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/generic"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("X-Tenant-Id", t[0]).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                sent.incrementAndGet();
            } catch (RuntimeException e) {
                // keep the stream going
            }
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void stopProcess(int index) throws InterruptedException {
        Process p = processes.get(index);
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    @Override
    public void close() throws Exception {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            if (processes.get(i).isAlive()) {
                stopProcess(i);
            }
        }
        for (WireMockServer s : List.of(v1, v2, slack, pagerDuty)) {
            s.stop();
        }
        db.close();
    }

    File logDir() {
        return logs.toFile();
    }
}
