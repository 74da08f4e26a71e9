import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Rollback propagation probe (JDK 17 source launcher: {@code java Probe.java ...}).
 *
 * <p>Per trial: steady traffic to every router (a new call and a distinct tenant per request, one request every
 * PERIOD_US per router, sent asynchronously so a slow answer never delays the next send), a total rollback through
 * the admin API, t0 = the moment the API's answer arrived, probing for WINDOW_MS more, then per router the time
 * from t0 until its LAST v2 answer (receive time = conservative figure, send time = lower bound). Then the flag is
 * re-enabled at 100 % and the next trial starts only when every router routes v2 again.
 *
 * <p>The probe is also the v1 and v2 backend (JDK HttpServer on the two ports the routers forward to), so it sees
 * when each router last FORWARDED a webhook to v2: that arrival comes right after the router's decision and, unlike
 * the receive time, does not include the answer's way back (a request decided v2 just before the rollback but
 * answered late no longer looks like a late v2 decision). Both clocks are this JVM's nanoTime.
 *
 * <p>Args: controlPlaneUrl adminToken flag trials windowMs periodUs label v1Port v2Port routerUrl...
 */
public final class Probe {

    record Sample(int router, long sentNs, long receivedNs, String variant, int status) {}

    public static void main(String[] args) throws Exception {
        String cp = args[0];
        String token = args[1];
        String flag = args[2];
        int trials = Integer.parseInt(args[3]);
        long windowMs = Long.parseLong(args[4]);
        long periodUs = Long.parseLong(args[5]);
        String label = args[6];
        int v1Port = Integer.parseInt(args[7]);
        int v2Port = Integer.parseInt(args[8]);
        List<String> routers = List.of(args).subList(9, args.length);
        AtomicLongArray lastV2Arrival = new AtomicLongArray(routers.size());
        backend(v1Port, "v1", null);
        backend(v2Port, "v2", lastV2Arrival);

        HttpClient api = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < routers.size(); i++) {
            clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build());
        }
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(routers.size());
        AtomicLong seq = new AtomicLong();
        long run = System.currentTimeMillis();

        List<Double> recvMs = new ArrayList<>();
        List<Double> sendMs = new ArrayList<>();
        List<Double> arrivalMs = new ArrayList<>();
        int notConverged = 0;
        long totalErrors = 0;
        System.out.printf(Locale.ROOT, "# %s: %d trials, %d routers, one request every %d us per router, window %d ms%n",
                label, trials, routers.size(), periodUs, windowMs);
        // Warm-up: freshly started routers (cold JIT) made the first trials of each mode the worst ones.
        long warmupMs = Long.parseLong(System.getenv().getOrDefault("PROBE_WARMUP_MS", "10000"));
        if (warmupMs > 0) {
            AtomicInteger warmInFlight = new AtomicInteger();
            List<ScheduledFuture<?>> warm = new ArrayList<>();
            for (int r = 0; r < routers.size(); r++) {
                int router = r;
                warm.add(ticker.scheduleAtFixedRate(() -> {
                    if (warmInFlight.get() <= 256) {
                        warmInFlight.incrementAndGet();
                        send(clients.get(router), router, routers.get(router), run, seq.incrementAndGet())
                                .whenComplete((s, e) -> warmInFlight.decrementAndGet());
                    }
                }, 0, periodUs, TimeUnit.MICROSECONDS));
            }
            Thread.sleep(warmupMs);
            warm.forEach(w -> w.cancel(false));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (warmInFlight.get() > 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            System.out.printf("# warm-up: %d ms of the same traffic before trial 1 (PROBE_WARMUP_MS)%n", warmupMs);
        }
        for (int trial = 1; trial <= trials; trial++) {
            // 1. every router routes v2 (20 consecutive v2 answers each), bounded wait.
            for (int r = 0; r < routers.size(); r++) {
                int streak = 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (streak < 20) {
                    if (System.nanoTime() > until) {
                        throw new IllegalStateException("router " + routers.get(r) + " did not route v2 within 60 s after re-enable");
                    }
                    Sample s = send(clients.get(r), r, routers.get(r), run, seq.incrementAndGet()).join();
                    streak = "v2".equals(s.variant()) ? streak + 1 : 0;
                    if (streak == 0) {
                        Thread.sleep(10);
                    }
                }
            }
            // 2. steady traffic on every router.
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger skipped = new AtomicInteger();
            List<ScheduledFuture<?>> loops = new ArrayList<>();
            for (int r = 0; r < routers.size(); r++) {
                int router = r;
                loops.add(ticker.scheduleAtFixedRate(() -> {
                    if (inFlight.get() > 256) { // bounded: never pile up unanswered requests
                        skipped.incrementAndGet();
                        return;
                    }
                    inFlight.incrementAndGet();
                    send(clients.get(router), router, routers.get(router), run, seq.incrementAndGet())
                            .whenComplete((s, e) -> {
                                inFlight.decrementAndGet();
                                if (s != null) {
                                    samples.add(s);
                                }
                            });
                }, 0, periodUs, TimeUnit.MICROSECONDS));
            }
            Thread.sleep(1000);
            for (int r = 0; r < routers.size(); r++) {
                lastV2Arrival.set(r, Long.MIN_VALUE);
            }
            // 3. total rollback; t0 = when the API answered.
            long apiSent = System.nanoTime();
            HttpResponse<String> rb = api.send(HttpRequest.newBuilder(URI.create(cp + "/api/v1/flags/" + flag + "/rollback"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"level\":\"total\",\"reason\":\"bench\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long t0 = System.nanoTime();
            if (rb.statusCode() != 200) {
                throw new IllegalStateException("rollback answered " + rb.statusCode() + ": " + rb.body());
            }
            Thread.sleep(windowMs);
            loops.forEach(l -> l.cancel(false));
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(5);
            }
            long windowEnd = t0 + TimeUnit.MILLISECONDS.toNanos(windowMs);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trial %2d api %5.1f ms", trial,
                    (t0 - apiSent) / 1e6));
            for (int r = 0; r < routers.size(); r++) {
                int router = r;
                List<Sample> mine = samples.stream().filter(s -> s.router() == router).toList();
                long errors = mine.stream().filter(s -> s.status() != 200).count();
                String statuses = mine.stream().filter(s -> s.status() != 200).collect(java.util.stream.Collectors.groupingBy(
                        s -> s.status() + "/" + s.variant(), java.util.TreeMap::new, java.util.stream.Collectors.counting())).toString();
                totalErrors += errors;
                Sample lastV2 = mine.stream().filter(s -> "v2".equals(s.variant()))
                        .max((a, b) -> Long.compare(a.receivedNs(), b.receivedNs())).orElse(null);
                Sample lastV2Sent = mine.stream().filter(s -> "v2".equals(s.variant()))
                        .max((a, b) -> Long.compare(a.sentNs(), b.sentNs())).orElse(null);
                long v1AfterLastV2 = lastV2 == null ? mine.size()
                        : mine.stream().filter(s -> "v1".equals(s.variant()) && s.sentNs() > lastV2Sent.sentNs()).count();
                // converged = the router answered v1 for requests sent in the last 300 ms of the window
                boolean converged = mine.stream().filter(s -> s.sentNs() > windowEnd - TimeUnit.MILLISECONDS.toNanos(300))
                        .allMatch(s -> "v1".equals(s.variant()));
                if (!converged) {
                    notConverged++;
                }
                double recv = lastV2 == null ? Double.NaN : (lastV2.receivedNs() - t0) / 1e6;
                double sent = lastV2Sent == null ? Double.NaN : (lastV2Sent.sentNs() - t0) / 1e6;
                long arrivedNs = lastV2Arrival.get(r);
                double arrived = arrivedNs == Long.MIN_VALUE ? Double.NaN : (arrivedNs - t0) / 1e6;
                recvMs.add(recv);
                sendMs.add(sent);
                arrivalMs.add(arrived);
                line.append(String.format(Locale.ROOT, " | r%d last v2 fwd %+7.1f recv %+7.1f sent %+7.1f ms (%d req, %d non-200%s, %d v1 after%s)",
                        r + 1, arrived, recv, sent, mine.size(), errors, errors == 0 ? "" : " " + statuses, v1AfterLastV2, converged ? "" : ", NOT CONVERGED"));
            }
            if (skipped.get() > 0) {
                line.append(" skipped ").append(skipped.get());
            }
            System.out.println(line);
            // 4. back to v2 at 100 % for the next trial.
            for (String[] call : List.of(new String[] {"POST", "/enable", "{\"reason\":\"bench: re-enable\"}"},
                    new String[] {"PUT", "/percentage", "{\"percentage\":100,\"reason\":\"bench: re-enable\"}"})) {
                HttpResponse<String> res = api.send(HttpRequest.newBuilder(URI.create(cp + "/api/v1/flags/" + flag + call[1]))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .method(call[0], HttpRequest.BodyPublishers.ofString(call[2])).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) {
                    throw new IllegalStateException(call[0] + " " + call[1] + " answered " + res.statusCode() + ": " + res.body());
                }
            }
        }
        ticker.shutdownNow();
        System.out.println(summary(label + " last v2 FORWARD (arrival at the v2 backend) after t0", arrivalMs));
        System.out.println(summary(label + " last v2 RECEIVE time after t0 (conservative)", recvMs));
        System.out.println(summary(label + " last v2 SEND time after t0 (lower bound)   ", sendMs));
        System.out.printf("%s: %d of %d router samples not converged at the end of the window; %d non-200 answers%n",
                label, notConverged, recvMs.size(), totalErrors);
        System.exit(0);
    }

    static java.util.concurrent.CompletableFuture<Sample> send(HttpClient client, int router, String base, long run, long n) {
        String call = "prop-" + run + "-" + n;
        String body = "{\"callId\":\"" + call + "\",\"type\":\"call.started\",\"id\":\"" + call + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/webhooks/generic"))
                .header("Content-Type", "application/json")
                .header("X-Tenant-Id", "prop-tenant-" + n) // distinct tenants, all on v2 at 100 %
                .header("X-Probe-Router", Integer.toString(router)) // forwarded unchanged: tells the backend which router
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long sent = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((res, e) -> new Sample(router, sent, System.nanoTime(),
                        res == null ? "error" : res.headers().firstValue("X-Switchboard-Variant").orElse("none"),
                        res == null ? -1 : res.statusCode()));
    }

    /** A stand-in voice agent answering at once; the v2 one notes, per router, when it last got a webhook. */
    static void backend(int port, String variant, AtomicLongArray lastArrival) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            String router = exchange.getRequestHeaders().getFirst("X-Probe-Router");
            if (lastArrival != null && router != null) {
                lastArrival.accumulateAndGet(Integer.parseInt(router), now, Math::max);
            }
            byte[] answer = ("{\"variant\":\"" + variant + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    static String summary(String what, List<Double> values) {
        List<Double> v = new ArrayList<>(values.stream().filter(d -> !d.isNaN()).toList());
        if (v.isEmpty()) {
            return what + ": no samples";
        }
        Collections.sort(v);
        return String.format(Locale.ROOT, "%s: n=%d p50 %.1f ms  p99 %.1f ms  max %.1f ms  min %.1f ms",
                what, v.size(), rank(v, 0.50), rank(v, 0.99), v.get(v.size() - 1), v.get(0));
    }

    /** Nearest-rank percentile (with 40 samples p99 is the largest one). */
    static double rank(List<Double> sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
