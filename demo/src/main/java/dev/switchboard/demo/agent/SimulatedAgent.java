package dev.switchboard.demo.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A voice agent (v1 or v2) on the JDK's HTTP server. Webhooks under {@code /webhooks/**} get the provider's
 * answer after the drawn latency; {@code /admin/knobs} (GET to read, POST with query parameters to change),
 * {@code /admin/reset}, {@code /admin/stats} and {@code /health} steer and observe it while it runs.
 * Delays are scheduled, not slept, so a slow agent does not run out of threads.
 */
public final class SimulatedAgent implements AutoCloseable {

    private final String variant;
    private final AgentAnswers answers;
    private final AtomicReference<AgentKnobs> knobs = new AtomicReference<>(AgentKnobs.HEALTHY);
    private final AgentStats stats = new AgentStats();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(8);
    private final ScheduledExecutorService delays = Executors.newScheduledThreadPool(2);

    public SimulatedAgent(String variant, String host, int port) throws IOException {
        this.variant = variant;
        this.answers = new AgentAnswers(variant);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 512);
        server.setExecutor(workers);
        server.createContext("/admin/knobs", this::knobs);
        server.createContext("/admin/reset", ex -> {
            knobs.set(AgentKnobs.HEALTHY); // stats stay: they are the history of what happened
            System.out.println("[agent " + variant + "] knobs reset to " + AgentKnobs.HEALTHY.toJson());
            send(ex, AgentReply.json(200, knobs.get().toJson()));
        });
        server.createContext("/admin/stats", ex -> send(ex, AgentReply.json(200, stats.toJson(variant))));
        server.createContext("/health", ex -> send(ex, AgentReply.json(200, "{\"status\":\"UP\",\"variant\":\"" + variant + "\"}")));
        server.createContext("/", this::webhook);
    }

    public SimulatedAgent start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public AgentKnobs knobs() {
        return knobs.get();
    }

    public AgentStats stats() {
        return stats;
    }

    private void knobs(HttpExchange ex) throws IOException {
        try (ex) {
            if ("POST".equals(ex.getRequestMethod()) || "PUT".equals(ex.getRequestMethod())) {
                Map<String, String> params = new LinkedHashMap<>(AgentAnswers.form(ex.getRequestURI().getRawQuery()));
                params.putAll(AgentAnswers.form(readBody(ex)));
                try {
                    AgentKnobs changed = knobs.updateAndGet(k -> k.with(params));
                    System.out.println("[agent " + variant + "] knobs now " + changed.toJson());
                } catch (IllegalArgumentException e) {
                    send(ex, AgentReply.json(400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}"));
                    return;
                }
            }
            send(ex, AgentReply.json(200, knobs.get().toJson()));
        }
    }

    private void webhook(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (!"POST".equals(ex.getRequestMethod()) || !path.startsWith("/webhooks/")) {
            send(ex, AgentReply.json(404, "{\"error\":\"no such path on the simulated agent: " + path + "\"}"));
            return;
        }
        String body = readBody(ex);
        Fate fate = Fate.draw(knobs.get(), ThreadLocalRandom.current());
        AgentReply reply = switch (fate.kind()) {
            case OUTAGE -> AgentReply.json(503, "{\"error\":\"agent " + variant + " is down (simulated outage)\"}");
            case ERROR -> AgentReply.json(500, "{\"error\":\"agent " + variant + " failed (simulated)\"}");
            case ANSWER -> answers.answer(path, body);
        };
        stats.record(path, reply.status());
        if (fate.delayMs() == 0) {
            send(ex, reply);
        } else {
            delays.schedule(() -> {
                try {
                    send(ex, reply);
                } catch (IOException e) {
                    ex.close(); // the caller gave up (router deadline); nothing else to do
                }
            }, fate.delayMs(), TimeUnit.MILLISECONDS);
        }
    }

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void send(HttpExchange ex, AgentReply reply) throws IOException {
        try (ex) {
            byte[] bytes = reply.bytes();
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            ex.getResponseHeaders().set("X-Agent-Variant", variant);
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        delays.shutdownNow();
        workers.shutdownNow();
    }
}
