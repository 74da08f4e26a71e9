// Detection time: a router (emulated here, pushing real 10-s windows over HTTP at each window's close) sends
// 20 calls/s to v1 and 20 calls/s to v2; at t0 (a random instant inside a window, after 30 s of healthy
// traffic) v2 starts answering 10 % 500s. Measured: t0 → commit time of the guard's rollback (the audit row's
// timestamp, same machine clock). Run through bench/guard/detection.sh, which starts the control plane.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class DetectionBench {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String BOUNDS = "[5,10,25,50,75,100,150,200,300,400,500,650,800,1000,1200,1500,2000,3000,5000,7500,10000,15000,20000]";
    static String base;

    public static void main(String[] args) throws Exception {
        base = args[0];
        int trials = Integer.parseInt(args[1]);
        Random random = new Random(7);
        List<Double> results = new ArrayList<>();
        for (int trial = 1; trial <= trials; trial++) {
            String flag = "bench_" + Long.toHexString(System.nanoTime());
            call("POST", "/api/v1/flags", "bench-admin", "{\"name\":\"" + flag + "\",\"description\":\"bench\"}");
            call("POST", "/api/v1/flags/" + flag + "/enable", "bench-admin", "{\"reason\":\"bench\"}");
            call("PUT", "/api/v1/flags/" + flag + "/percentage", "bench-admin", "{\"percentage\":50,\"reason\":\"bench\"}");
            long startMs = System.currentTimeMillis();
            long t0 = startMs + 30_000 + (long) (random.nextDouble() * 10_000);
            String router = "bench-router-" + trial;
            Instant committed = null;
            long windowStart = startMs - startMs % 10_000; // first window: the current one
            while (committed == null) {
                long closes = windowStart + 10_000;
                while (System.currentTimeMillis() < closes) {
                    Thread.sleep(Math.min(100, Math.max(1, closes - System.currentTimeMillis())));
                    committed = rollbackCommit(flag);
                    if (committed != null) {
                        break;
                    }
                }
                if (committed != null) {
                    break;
                }
                push(router, flag, windowStart, t0, random);
                windowStart = closes;
                if (System.currentTimeMillis() - t0 > 180_000) {
                    throw new IllegalStateException("no rollback within 180 s of t0 in trial " + trial);
                }
            }
            double seconds = (committed.toEpochMilli() - t0) / 1000.0;
            results.add(seconds);
            System.out.printf("trial %d: v2 bad at %s, rollback committed at %s: %.1f s%n", trial,
                    Instant.ofEpochMilli(t0), committed, seconds);
        }
        List<Double> sorted = new ArrayList<>(results);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("trials=%d median=%.1f s worst=%.1f s best=%.1f s%n", results.size(), median,
                sorted.get(sorted.size() - 1), sorted.get(0));
    }

    /** One 10-s window as a router would push it at its close: 200 calls per variant. */
    static void push(String router, String flag, long windowStart, long t0, Random random) throws Exception {
        StringBuilder series = new StringBuilder();
        for (String variant : List.of("v1", "v2")) {
            int requests = 200, errors = 0;
            long[] counts = new long[24];
            double sum = 0;
            for (int i = 0; i < requests; i++) {
                long at = windowStart + (long) (i * 50.0);
                double p = variant.equals("v2") && at >= t0 ? 0.10 : 0.01;
                if (random.nextDouble() < p) {
                    errors++;
                }
                double latency = Math.exp(Math.log(300) + 0.3 * random.nextGaussian());
                sum += latency;
                int b = 0;
                double[] bounds = {5, 10, 25, 50, 75, 100, 150, 200, 300, 400, 500, 650, 800, 1000, 1200, 1500, 2000,
                        3000, 5000, 7500, 10000, 15000, 20000};
                while (b < bounds.length && latency > bounds[b]) {
                    b++;
                }
                counts[b]++;
            }
            StringBuilder c = new StringBuilder("[");
            for (int i = 0; i < 24; i++) {
                c.append(i == 0 ? "" : ",").append(counts[i]);
            }
            c.append("]");
            if (series.length() > 0) {
                series.append(",");
            }
            series.append("{\"flag\":\"").append(flag).append("\",\"variant\":\"").append(variant)
                    .append("\",\"tenantId\":\"").append(variant.equals("v1") ? "tenant-a" : "tenant-b")
                    .append("\",\"requests\":").append(requests).append(",\"errors\":").append(errors)
                    .append(",\"calls\":25,\"failedCalls\":0,\"circuitBreakerOpens\":0,\"failovers\":0,\"latencySumMs\":")
                    .append(sum).append(",\"latencyBucketsMs\":").append(BOUNDS).append(",\"latencyCounts\":")
                    .append(c).append("}");
        }
        String body = "{\"routerId\":\"" + router + "\",\"routerVersion\":\"bench\",\"windowStart\":\""
                + Instant.ofEpochMilli(windowStart) + "\",\"windowSeconds\":10,\"flagRevisions\":{},\"series\":["
                + series + "]}";
        call("POST", "/api/v1/router-metrics", "bench-client", body);
    }

    static final Pattern AT = Pattern.compile("\"at\"\\s*:\\s*\"([^\"]+)\"");

    static Instant rollbackCommit(String flag) throws Exception {
        String audit = call("GET", "/api/v1/audit?flag=" + flag + "&actor=guard&action=rollback.total", "bench-admin", null);
        Matcher m = AT.matcher(audit);
        return m.find() ? java.time.OffsetDateTime.parse(m.group(1)).toInstant() : null;
    }

    static String call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }
}
