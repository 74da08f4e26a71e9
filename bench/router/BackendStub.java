import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Tiny voice-agent backend stub: answers every POST with a fixed Vapi assistant answer.
 * Usage: java BackendStub.java PORT [THREADS]. THREADS 0 (the default) answers on the server's dispatcher thread:
 * the answer never blocks, and on a 2-core machine shared with wrk and the router a worker pool only adds a
 * thread wake-up per request to both the direct and the routed path (docs/benchmarks-router.md compares both).
 */
public class BackendStub {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        byte[] answer = "{\"assistantId\":\"asst_bench\"}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(threads > 0 ? Executors.newFixedThreadPool(threads) : null);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        System.out.println("stub on " + port + (threads > 0 ? " with " + threads + " worker threads" : " (dispatcher thread)"));
    }
}
