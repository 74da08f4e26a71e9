import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Paced load and a stand-in backend, as bench/propagation's probe makes them: 4 keep-alive connections, blocking
 * HTTP/1.1, each sending every 4 × PERIOD_US, staggered (one request every PERIOD_US in all); a small generic
 * webhook with a tenant header. The backend answers on the server's dispatcher thread.
 * Usage: java Load.java backend PORT   |   java Load.java load PORT PERIOD_US SECONDS
 */
public class Load {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("backend")) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 512);
            byte[] answer = "{\"variant\":\"v1\"}".getBytes(StandardCharsets.UTF_8);
            server.createContext("/", x -> {
                x.getRequestBody().readAllBytes();
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(200, answer.length);
                x.getResponseBody().write(answer);
                x.close();
            });
            server.start();
            Thread.currentThread().join();
        }
        int port = Integer.parseInt(args[1]);
        long periodNs = Long.parseLong(args[2]) * 1000;
        long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            long first = start + c * periodNs;
            int connection = c;
            threads.add(new Thread(() -> send(port, first, 4 * periodNs, end, connection, ok, failed)));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("answered 200: " + ok + ", other: " + failed);
    }

    private static void send(int port, long first, long everyNs, long end, int connection, AtomicLong ok, AtomicLong failed) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            long due = first;
            for (long n = 0; System.nanoTime() < end; ) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                due += everyNs;
                n++;
                String id = "floor-" + connection + "-" + n;
                String body = "{\"callId\":\"" + id + "\",\"type\":\"call.started\",\"id\":\"" + id + "\"}";
                out.write(("POST /webhooks/generic HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "X-Tenant-Id: tenant-" + (n % 200) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = line(in);
                long length = 0;
                for (String header = line(in); !header.isEmpty(); header = line(in)) {
                    if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                        length = Long.parseLong(header.substring(15).trim());
                    }
                }
                in.readNBytes((int) length);
                (status.startsWith("HTTP/1.1 200") ? ok : failed).incrementAndGet();
            }
        } catch (IOException e) {
            failed.incrementAndGet();
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
