import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Propagation probe (JDK 17 source launcher: {@code java Probe.java ...}).
 *
 * <p>Trials alternate two kinds of change: a total rollback (100 % enabled → disabled, 0 %) and a percentage change
 * (100 % → 50 %). Per trial: steady traffic to every router (a new call and a distinct tenant per request, one request
 * every PERIOD_US per router over 4 keep-alive connections per router, so one slow answer does not delay the next send), the change through the admin
 * API, t0 = the wall-clock instant its answer arrived, WINDOW_MS more traffic, then the control plane's confirmation
 * state of the new revision ({@code GET /api/v1/flags/{flag}} → {@code confirmation.routerStates}): each router's own
 * timestamps of the stages — stream event received by the SDK's handler, engine updated (decisions switched), first
 * call decided on the new revision. The figure of record is the last router's first decision on the new revision
 * minus t0. Everything runs on one machine, so the routers' clocks are this clock.
 *
 * <p>For total rollbacks the probe also measures independently, as the v2 backend, when each router last FORWARDED a
 * webhook to v2 (the old revision's last decision, minus t0), on this JVM's monotonic clock.
 *
 * <p>Before each trial, with the traffic already flowing, the flag is put back to enabled 100 % and the probe waits until every router confirmed that
 * revision. Args: controlPlaneUrl adminToken flag trialsPerKind windowMs periodUs label v1Port v2Port routerUrl...
 */
public final class Probe {

    record Sample(int router, long sentNs, long receivedNs, String variant, int status) {}

    /** One router's stages for one trial, ms relative to t0 (NaN when unknown). */
    record Stages(String routerId, double commit, double received, double applied, double firstDecision) {}

    private static final Pattern ROUTER = Pattern.compile("\\{\"routerId\":\"([^\"]+)\",\"revision\":(\\d+),(.*?)\"firstDecisionDelayMs\"");
    private static final Pattern REVISION = Pattern.compile("\"revision\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String cp = args[0];
        String token = args[1];
        String flag = args[2];
        int trialsPerKind = Integer.parseInt(args[3]);
        long windowMs = Long.parseLong(args[4]);
        long periodUs = Long.parseLong(args[5]);
        String label = args[6];
        int v1Port = Integer.parseInt(args[7]);
        int v2Port = Integer.parseInt(args[8]);
        List<String> routers = List.of(args).subList(9, args.length);
        int n = routers.size();
        AtomicLongArray lastV2Arrival = new AtomicLongArray(n);
        backend(v1Port, "v1", null);
        backend(v2Port, "v2", lastV2Arrival);

        HttpClient api = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong seq = new AtomicLong();
        long run = System.currentTimeMillis();

        System.out.printf(Locale.ROOT, "# %s: %d routers, %d trials per kind (total rollback, percentage 100->50), one "
                + "request every %d us per router, window %d ms%n", label, n, trialsPerKind, periodUs, windowMs);
        long warmupMs = Long.parseLong(System.getenv().getOrDefault("PROBE_WARMUP_MS", "10000"));
        if (warmupMs > 0) {
            Traffic warm = traffic(routers, run, seq, periodUs, null, new AtomicInteger(), new AtomicInteger());
            Thread.sleep(warmupMs);
            warm.stop();
            System.out.printf("# warm-up: %d ms of the same traffic before trial 1 (PROBE_WARMUP_MS)%n", warmupMs);
        }

        Map<String, List<Double>> last = new LinkedHashMap<>();
        Map<String, List<Double>> spread = new LinkedHashMap<>();
        Map<String, List<Double>> commitToReceived = new LinkedHashMap<>();
        Map<String, List<Double>> receivedToApplied = new LinkedHashMap<>();
        Map<String, List<Double>> appliedToFirst = new LinkedHashMap<>();
        Map<String, List<Double>> commitToAnswer = new LinkedHashMap<>();
        Map<String, List<Double>> receivedSpread = new LinkedHashMap<>();
        Map<String, List<Double>> lastAppliedAll = new LinkedHashMap<>();
        List<Double> lastV2Forward = new ArrayList<>();
        Map<String, double[]> perRouterFirst = new LinkedHashMap<>();
        int incomplete = 0;
        long totalErrors = 0;
        // changes before the measured trials (PROBE_WARMUP_TRIALS, an even number, default 0): the traffic warm-up
        // compiles the webhook path, these compile the change path (the control plane's change and fan-out, each
        // router's stream, engine update and confirmation); printed, not counted
        int warmupTrials = Integer.parseInt(System.getenv().getOrDefault("PROBE_WARMUP_TRIALS", "0"));
        warmupTrials += warmupTrials % 2;
        List<Double> warmupLast = new ArrayList<>();
        for (int step = 1; step <= warmupTrials + 2 * trialsPerKind; step++) {
            int trial = step - warmupTrials;
            String kind = step % 2 == 1 ? "total" : "percent";
            // 1. steady traffic, already while the flag goes back to enabled at 100 % and every router confirms it:
            // as under a provider's continuous traffic, each router decides on that revision at once and its first
            // decision joins its confirmation, instead of ten late first decisions reaching the control plane
            // just before the change
            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger skipped = new AtomicInteger();
            Traffic loops = traffic(routers, run, seq, periodUs, samples, inFlight, skipped);
            change(api, cp, token, flag, "POST", "/enable", "{\"reason\":\"bench: re-enable\"}");
            long base = revisionOf(change(api, cp, token, flag, "PUT", "/percentage", "{\"percentage\":100,\"reason\":\"bench: re-enable\"}"));
            awaitConfirmed(api, cp, token, flag, base, n, false);
            Thread.sleep(300);
            for (int r = 0; r < n; r++) {
                lastV2Arrival.set(r, Long.MIN_VALUE);
            }
            // 3. the change; t0 = when the API answered
            String answer = kind.equals("total")
                    ? change(api, cp, token, flag, "POST", "/rollback", "{\"level\":\"total\",\"reason\":\"bench\"}")
                    : change(api, cp, token, flag, "PUT", "/percentage", "{\"percentage\":50,\"reason\":\"bench\"}");
            long t0Ns = System.nanoTime();
            Instant t0 = Instant.now();
            long revision = revisionOf(answer);
            Thread.sleep(windowMs);
            loops.stop();
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
                Thread.sleep(5);
            }
            long errors = samples.stream().filter(s -> s.status() != 200).count();
            totalErrors += errors;
            // 4. the routers' own timeline of that revision, as the control plane holds it
            String view = awaitConfirmed(api, cp, token, flag, revision, n, true);
            Instant changedAt = OffsetDateTime.parse(field(view, "updatedAt")).toInstant();
            List<Stages> stages = stages(view, revision, t0);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %-7s rev %d at %s commit %+6.1f ms",
                    trial >= 1 ? String.format(Locale.ROOT, "trial %2d", trial) : "warm-up " + step, kind, revision, t0.toString().substring(11, 23), ms(changedAt, t0)));
            double lastFirst = Double.NEGATIVE_INFINITY;
            double firstFirst = Double.POSITIVE_INFINITY;
            double lastRecv = Double.NEGATIVE_INFINITY;
            double lastApplied = Double.NEGATIVE_INFINITY;
            double firstRecv = Double.POSITIVE_INFINITY;
            boolean complete = stages.size() == n && stages.stream().noneMatch(s -> Double.isNaN(s.firstDecision()));
            if (!complete) {
                incomplete++;
            }
            for (Stages s : stages) {
                line.append(String.format(Locale.ROOT, " | %s recv %+5.1f eng %+5.1f 1st %+5.1f", s.routerId(),
                        s.received(), s.applied(), s.firstDecision()));
                if (!Double.isNaN(s.firstDecision())) {
                    lastFirst = Math.max(lastFirst, s.firstDecision());
                    firstFirst = Math.min(firstFirst, s.firstDecision());
                    perRouterFirst.computeIfAbsent(s.routerId(), k -> new double[2]);
                    double[] acc = perRouterFirst.get(s.routerId());
                    acc[0] += s.firstDecision();
                    acc[1] += 1;
                }
                if (!Double.isNaN(s.applied())) {
                    lastApplied = Math.max(lastApplied, s.applied());
                }
                if (!Double.isNaN(s.received())) {
                    lastRecv = Math.max(lastRecv, s.received());
                    firstRecv = Math.min(firstRecv, s.received());
                    add(commitToReceived, kind, s.received() - s.commit());
                    add(receivedToApplied, kind, s.applied() - s.received());
                }
                if (!Double.isNaN(s.firstDecision())) {
                    add(appliedToFirst, kind, s.firstDecision() - s.applied());
                }
            }
            add(commitToAnswer, kind, -ms(changedAt, t0));
            if (stages.size() == n && stages.stream().noneMatch(s -> Double.isNaN(s.applied()))) {
                add(lastAppliedAll, kind, lastApplied);
            }
            if (complete) {
                add(last, kind, lastFirst);
                add(spread, kind, lastFirst - firstFirst);
            }
            if (lastRecv > Double.NEGATIVE_INFINITY) {
                add(receivedSpread, kind, lastRecv - firstRecv);
            }
            line.append(String.format(Locale.ROOT, " || last 1st decision %+6.1f ms, spread %5.1f ms%s", lastFirst,
                    lastFirst - firstFirst, complete ? "" : " INCOMPLETE (" + stages.size() + " routers reported)"));
            if (kind.equals("total")) {
                double worst = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < n; r++) {
                    long at = lastV2Arrival.get(r);
                    if (at != Long.MIN_VALUE) {
                        worst = Math.max(worst, (at - t0Ns) / 1e6);
                    }
                }
                if (worst > Double.NEGATIVE_INFINITY) {
                    lastV2Forward.add(worst);
                    line.append(String.format(Locale.ROOT, ", last v2 forward %+6.1f ms", worst));
                }
            }
            // the slowest answer to a webhook sent from 50 ms before t0 to 100 ms after: a stall anywhere on the path
            // (router, backend, this probe) shows here as well as in the decisions
            long slowest = samples.stream().filter(s -> s.sentNs() - t0Ns > -50_000_000L && s.sentNs() - t0Ns < 100_000_000L)
                    .mapToLong(s -> s.receivedNs() - s.sentNs()).max().orElse(0);
            line.append(String.format(Locale.ROOT, ", slowest answer %.1f ms", slowest / 1e6));
            if (errors > 0 || skipped.get() > 0) {
                line.append(" (").append(errors).append(" non-200, ").append(skipped.get()).append(" skipped ticks)");
            }
            System.out.println(line);
            if (trial <= 0) { // a warm-up change: its figure kept apart, the measured ones start afresh
                warmupLast.add(complete ? lastFirst : Double.NaN);
                List.of(last, spread, commitToReceived, receivedToApplied, appliedToFirst, commitToAnswer, receivedSpread,
                        lastAppliedAll).forEach(Map::clear);
                lastV2Forward.clear();
                perRouterFirst.clear();
                incomplete = 0;
                totalErrors = 0;
            }
        }
        if (!warmupLast.isEmpty()) {
            System.out.println(summary(label + " warm-up changes (not counted): API answer -> LAST router's first decision", warmupLast));
        }
        System.out.println();
        for (String kind : List.of("total", "percent")) {
            String what = kind.equals("total") ? "total rollback" : "percentage 100->50";
            System.out.println(summary(label + " " + what + ": API answer -> LAST router's first decision on the new revision", last.get(kind)));
            System.out.println(summary(label + " " + what + ": API answer -> LAST router's engine updated (decides on the new revision from then on; no traffic needed)", lastAppliedAll.get(kind)));
            System.out.println(summary(label + " " + what + ": per-trial spread (last - first router's first decision)", spread.get(kind)));
            System.out.println(summary(label + " " + what + ": stage commit -> API answer", commitToAnswer.get(kind)));
            System.out.println(summary(label + " " + what + ": stage commit -> SDK stream handler got the event (per router)", commitToReceived.get(kind)));
            System.out.println(summary(label + " " + what + ": stage event received -> engine updated (per router)", receivedToApplied.get(kind)));
            System.out.println(summary(label + " " + what + ": stage engine updated -> first decision (per router)", appliedToFirst.get(kind)));
            System.out.println(summary(label + " " + what + ": spread of stream receipt across routers (fan-out)", receivedSpread.get(kind)));
        }
        System.out.println(summary(label + " total rollback: API answer -> last v2 FORWARD seen by the v2 backend (probe clock)", lastV2Forward));
        StringBuilder per = new StringBuilder(label + " mean first decision after the API answer, per router:");
        perRouterFirst.forEach((id, acc) -> per.append(String.format(Locale.ROOT, " %s %.1f ms", id, acc[0] / acc[1])));
        System.out.println(per);
        System.out.printf("%s: %d of %d trials without every router's first decision; %d non-200 answers%n", label,
                incomplete, 2 * trialsPerKind, totalErrors);
        System.out.printf(Locale.ROOT, "%s: the probe's own CPU (traffic client, v1/v2 backends, JIT): %.1f s%n", label,
                ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
        System.exit(0);
    }

    private static void add(Map<String, List<Double>> into, String kind, double value) {
        into.computeIfAbsent(kind, k -> new ArrayList<>()).add(value);
    }

    private static double ms(Instant at, Instant t0) {
        return Duration.between(t0, at).toNanos() / 1e6;
    }

    /** The webhook traffic of one trial: per router, CONNECTIONS keep-alive connections, each its own thread. */
    static final class Traffic {
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        /** Stops sending; a request on the wire is still answered (and counted) by its thread. */
        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    /** Keep-alive connections per router; each sends every CONNECTIONS × period, staggered, so the router gets one
     * request every period and a slow answer on one connection does not hold up the others. */
    static final int CONNECTIONS = Integer.parseInt(System.getenv().getOrDefault("PROBE_CONNECTIONS", "4"));

    /** Tenants the webhooks come from, in turn (PROBE_TENANTS, default 200; 0: a new tenant for every webhook). */
    static final long TENANTS = Long.parseLong(System.getenv().getOrDefault("PROBE_TENANTS", "200")) <= 0
            ? Long.MAX_VALUE : Long.parseLong(System.getenv().getOrDefault("PROBE_TENANTS", "200"));

    /**
     * Steady traffic: one webhook every periodUs per router. Plain blocking HTTP/1.1 over keep-alive sockets (one
     * write and one read per request): the JDK HttpClient's asynchronous machinery cost ~1 ms of CPU per request,
     * more than the router itself, on the same two cores. A connection that falls more than one of its periods
     * behind skips ticks (counted) instead of bursting.
     */
    private static Traffic traffic(List<String> routers, long run, AtomicLong seq, long periodUs,
                                   ConcurrentLinkedQueue<Sample> samples, AtomicInteger inFlight, AtomicInteger skipped) {
        Traffic traffic = new Traffic();
        long periodNs = TimeUnit.MICROSECONDS.toNanos(periodUs);
        long start = System.nanoTime();
        for (int r = 0; r < routers.size(); r++) {
            URI base = URI.create(routers.get(r));
            for (int c = 0; c < CONNECTIONS; c++) {
                int router = r;
                // routers are staggered too, so the machine gets an even stream rather than bursts of n
                long offset = (c * routers.size() + r) * periodNs / routers.size();
                Thread t = new Thread(() -> sendLoop(traffic, router, base, run, seq, start + offset,
                        CONNECTIONS * periodNs, samples, inFlight, skipped), "traffic-" + r + "-" + c);
                t.setDaemon(true);
                traffic.threads.add(t);
            }
        }
        traffic.threads.forEach(Thread::start);
        return traffic;
    }

    private static void sendLoop(Traffic traffic, int router, URI base, long run, AtomicLong seq, long first,
                                 long everyNs, ConcurrentLinkedQueue<Sample> samples, AtomicInteger inFlight,
                                 AtomicInteger skipped) {
        Connection connection = null;
        long due = first;
        while (traffic.running) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                continue;
            }
            if (-wait > everyNs) { // more than one period behind: skip, do not burst
                long behind = -wait / everyNs;
                skipped.addAndGet((int) behind);
                due += behind * everyNs;
                continue;
            }
            due += everyNs;
            long n = seq.incrementAndGet();
            inFlight.incrementAndGet();
            long sent = System.nanoTime();
            int status = -1;
            String variant = "error";
            try {
                if (connection == null) {
                    connection = new Connection(base);
                }
                String[] answer = connection.post(router, run, n);
                status = Integer.parseInt(answer[0]);
                variant = answer[1];
                if (answer[2] != null) {
                    connection.close();
                    connection = null;
                }
            } catch (Exception e) {
                if (connection != null) {
                    connection.close();
                }
                connection = null;
            } finally {
                inFlight.decrementAndGet();
            }
            if (samples != null) {
                samples.add(new Sample(router, sent, System.nanoTime(), variant, status));
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    /** One keep-alive HTTP/1.1 connection to a router: a request written at once, its answer read to the end. */
    static final class Connection {
        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.BufferedInputStream in;
        private final String host;

        Connection(URI base) throws java.io.IOException {
            socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(5000);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            out = socket.getOutputStream();
            in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            host = base.getHost() + ":" + base.getPort();
        }

        /** Returns {status, variant header (or "none"), non-null when the server closes the connection}. */
        String[] post(int router, long run, long n) throws java.io.IOException {
            String call = "prop-" + run + "-" + n;
            byte[] body = ("{\"callId\":\"" + call + "\",\"type\":\"call.started\",\"id\":\"" + call + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String head = "POST /webhooks/generic HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "X-Tenant-Id: prop-tenant-" + (n % TENANTS) + "\r\n"
                    + "X-Probe-Router: " + router + "\r\n" // forwarded unchanged: tells the backend which router
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] request = java.util.Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            out.write(request);
            out.flush();
            String status = line();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new java.io.IOException("bad status line " + status);
            }
            long length = 0;
            boolean chunked = false;
            String close = null;
            String variant = "none";
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close") ? value : null;
                    case "x-switchboard-variant" -> variant = value;
                    default -> { }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers ignored
                }
            } else {
                skip(length);
            }
            return new String[] {status.substring(9, 12), variant, close};
        }

        private void skip(long n) throws java.io.IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new java.io.EOFException();
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws java.io.IOException {
            StringBuilder b = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = b.length();
                    return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
                }
                b.append((char) c);
            }
            if (b.length() == 0) {
                throw new java.io.EOFException("connection closed");
            }
            return b.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (java.io.IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String change(HttpClient api, String cp, String token, String flag, String method, String path,
                                 String body) throws Exception {
        HttpResponse<String> res = api.send(HttpRequest.newBuilder(URI.create(cp + "/api/v1/flags/" + flag + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": " + res.body());
        }
        return res.body();
    }

    private static long revisionOf(String flagJson) {
        Matcher m = REVISION.matcher(flagJson);
        if (!m.find()) {
            throw new IllegalStateException("no revision in " + flagJson);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Polls the flag until every one of the n routers confirmed {@code revision} (and, when asked, also reported its
     * first decision on it); bounded. Returns the last answer.
     */
    private static String awaitConfirmed(HttpClient api, String cp, String token, String flag, long revision, int n,
                                         boolean firstDecisions) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(firstDecisions ? 5 : 60);
        String body;
        while (true) {
            body = api.send(HttpRequest.newBuilder(URI.create(cp + "/api/v1/flags/" + flag))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = ROUTER.matcher(body);
            int done = 0;
            while (m.find()) {
                if (Long.parseLong(m.group(2)) == revision && (!firstDecisions || !m.group(3).contains("\"firstDecisionAt\":null"))) {
                    done++;
                }
            }
            if (done >= n) {
                return body;
            }
            if (System.nanoTime() > until) {
                if (!firstDecisions) {
                    throw new IllegalStateException("only " + done + " of " + n + " routers confirmed revision " + revision
                            + " within 60 s: " + body);
                }
                return body;
            }
            Thread.sleep(20);
        }
    }

    private static List<Stages> stages(String view, long revision, Instant t0) {
        Instant changedAt = OffsetDateTime.parse(field(view, "updatedAt")).toInstant();
        List<Stages> out = new ArrayList<>();
        Matcher m = ROUTER.matcher(view);
        while (m.find()) {
            if (Long.parseLong(m.group(2)) != revision) {
                continue;
            }
            String rest = m.group(3);
            out.add(new Stages(m.group(1), ms(changedAt, t0), at(rest, "receivedAt", t0), at(rest, "appliedAt", t0),
                    at(rest, "firstDecisionAt", t0)));
        }
        return out;
    }

    private static double at(String json, String name, Instant t0) {
        String value = field(json, name);
        return value == null ? Double.NaN : ms(OffsetDateTime.parse(value).toInstant(), t0);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(null|\"([^\"]*)\")").matcher(json);
        return m.find() ? m.group(2) : null;
    }

    /** A stand-in voice agent answering at once; the v2 one notes, per router, when it last got a webhook. */
    static void backend(int port, String variant, AtomicLongArray lastArrival) throws java.io.IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
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
        // answered on the server's dispatcher thread (the answer never blocks): a worker pool adds a thread hand-off
        // and a wake-up per webhook on the two cores the routers are measured on
        server.setExecutor(null);
        server.start();
    }

    static String summary(String what, List<Double> values) {
        if (values == null) {
            return what + ": no samples";
        }
        List<Double> v = new ArrayList<>(values.stream().filter(d -> !d.isNaN() && !d.isInfinite()).toList());
        if (v.isEmpty()) {
            return what + ": no samples";
        }
        Collections.sort(v);
        return String.format(Locale.ROOT, "%s: n=%d p50 %.1f ms  p99 %.1f ms  max %.1f ms  min %.1f ms",
                what, v.size(), rank(v, 0.50), rank(v, 0.99), v.get(v.size() - 1), v.get(0));
    }

    /** Nearest-rank percentile (with fewer than 100 samples p99 is the largest one). */
    static double rank(List<Double> sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
