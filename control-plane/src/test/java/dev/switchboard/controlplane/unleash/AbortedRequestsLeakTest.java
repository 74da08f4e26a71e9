package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.changes.ChangeFeed;
import dev.switchboard.controlplane.changes.FlagChanged;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import reactor.core.Disposable;

/**
 * Clients that hang up in the middle of an Unleash client request leave no buffer behind. Netty's leak
 * detector runs at {@code paranoid} (every buffer tracked) for this class; requests are aborted with a TCP
 * reset right after they are sent, while the state they need is being loaded from the database (each round
 * follows a flag change), and the detector's reports are collected from its logger. The detector is shown to
 * catch a buffer dropped on purpose before the real check, so a silent detector cannot pass the test.
 */
class AbortedRequestsLeakTest extends ControlPlaneTest {

    private static final HttpClient JDK_CLIENT = HttpClient.newHttpClient();
    private static final ListAppender<ILoggingEvent> REPORTS = new ListAppender<>();
    private static ResourceLeakDetector.Level previous;

    @Autowired
    ClientStates states;

    @Autowired
    ChangeFeed feed;

    @BeforeAll
    static void paranoid() {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        REPORTS.start();
    }

    /** After the application started: its logging set-up resets Logback, which drops appenders added before. */
    @BeforeEach
    void listen() {
        Logger detector = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        detector.detachAppender(REPORTS);
        detector.addAppender(REPORTS);
        REPORTS.list.clear();
    }

    @AfterAll
    static void back() {
        ((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).detachAppender(REPORTS);
        ResourceLeakDetector.setLevel(previous);
    }

    @Test
    void abortedFeatureStreamAndMetricsRequestsLeakNoBuffer() throws Exception {
        // the detector works in this JVM: a buffer dropped without release() is reported
        dropABuffer();
        collectLeaks();
        assertThat(leakReports()).as("the detector reports a buffer dropped on purpose").isPositive();
        REPORTS.list.clear();

        String flag = createFlag(true);
        FlagChangesDriver driver = new FlagChangesDriver(admin(), flag);
        String metrics = """
                {"appName":"leak-test","instanceId":"leak-1","bucket":{"start":"2026-01-01T00:00:00Z",\
                "stop":"2026-01-01T00:01:00Z","toggles":{"%s":{"yes":1,"no":2}}}}""".formatted(flag);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (int round = 1; round <= 4; round++) {
                driver.percentage(round * 10);
                List<Future<?>> aborted = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    aborted.add(clients.submit(() -> {
                        switch (n % 4) {
                            case 0 -> abort("GET /api/client/features HTTP/1.1\r\n", "", n % 8 == 0 ? 0 : 2);
                            case 1 -> abort("GET /api/client/features/" + flag + " HTTP/1.1\r\n", "", 1);
                            case 2 -> abort("GET /api/client/streaming HTTP/1.1\r\nAccept: text/event-stream\r\n", "", 5);
                            default -> abort("POST /api/client/metrics HTTP/1.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + metrics.getBytes(StandardCharsets.UTF_8).length + "\r\n",
                                    metrics, n % 8 == 3 ? 0 : 3);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : aborted) {
                    f.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        // the control plane still answers, and whatever leaked is now garbage the detector can report
        assertThat(poll()).isEqualTo(200);
        collectLeaks();
        assertThat(serverLeaks()).as("leak reports of the server's buffers").isEmpty();
    }

    /**
     * The state is valid while the change feed's sequence holds, and the sequence also moves when the NOTIFY of a
     * change arrives, which may be after the load (for the change made here, or for a change another test's flag
     * went through in the background). So the test first waits for its own change to be heard, and a round whose
     * sequence moved before its load was kept is tried again; a load that a cancelled request stopped would never
     * be kept, whatever the sequence does, and fails the test.
     */
    @Test
    void aLoadStartedForARequestThatIsAbortedStillCompletesAndIsKept() throws Exception {
        String flag = createFlag(true);
        CompletableFuture<FlagChanged> heard = feed.changes()
                .filter(c -> c.flag().filter(flag::equals).isPresent()).next().toFuture();
        new FlagChangesDriver(admin(), flag).percentage(7);
        heard.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int rounds = 0;
        ClientState kept = null;
        while (kept == null && rounds < 20 && System.nanoTime() < deadline) {
            rounds++;
            long sequence = feed.sequence();
            if (rounds == 1) {
                assertThat(states.fresh()).as("no state is kept before the request").isNull();
            }
            Disposable abandoned = states.current().subscribe();
            abandoned.dispose();
            while ((kept = states.fresh()) == null && feed.sequence() == sequence && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        assertThat(kept).as("the state loaded for a cancelled request (%d rounds)", rounds).isNotNull();
        assertThat(kept.flags()).anyMatch(f -> f.name().equals(flag) && f.percentage() == 7);
    }

    /** Sends a request, waits a little, and resets the connection (SO_LINGER 0) instead of reading the answer. */
    private void abort(String head, String body, int waitMillis) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoLinger(true, 0);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: 127.0.0.1\r\nAuthorization: " + CLIENT_TOKEN + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (waitMillis > 0) {
                Thread.sleep(waitMillis);
            }
        }
    }

    private static void dropABuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
    }

    /** Leaked buffers are reported when they are collected and the detector is next used: do both, a few times. */
    private void collectLeaks() throws InterruptedException {
        // WebTestClient (Netty) calls made before are done; only the JDK client is used from here on
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            for (int j = 0; j < 20; j++) {
                PooledByteBufAllocator.DEFAULT.directBuffer(64).release();
                assertThat(poll()).isEqualTo(200);
            }
        }
    }

    /**
     * Reports about buffers of the server (its HTTP codec, its database driver). The tests' own WebTestClient
     * (a Netty client in the same JVM) leaves the bodies it is not asked to read unreleased; those reports name
     * Netty's client codec and are not the control plane's.
     */
    private static List<String> serverLeaks() {
        return REPORTS.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("LEAK") && !m.contains("HttpClientCodec")).toList();
    }

    private long leakReports() {
        return REPORTS.list.stream().filter(e -> e.getFormattedMessage().contains("LEAK")).count();
    }

    /** A poll through the JDK's client, so that the only Netty buffers in this JVM are the server's. */
    private int poll() throws InterruptedException {
        try {
            return JDK_CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/client/features"))
                    .header(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN).build(), HttpResponse.BodyHandlers.ofByteArray())
                    .statusCode();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
