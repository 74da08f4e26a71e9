package dev.switchboard.router.decision;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.router.support.FakeControlPlane;
import dev.switchboard.router.support.Features;
import dev.switchboard.router.support.GenericSigner;
import dev.switchboard.router.support.RouterContexts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Last known state under load: a streaming and a polling router, 20 webhooks/s each over 200 tenants (each a new
 * call, so each one is decided), flag at 50 %. The control plane is killed (every connection cut) for 60 s, brought
 * back, then its database goes away (streams closed, 503) for 60 s: in both episodes, on both routers, every
 * 200-webhook block (one pass over all tenants) keeps the v2 share it had before, within 2 points, and every
 * webhook is answered.
 */
class LastKnownStateIT {

    private static final int TENANTS = 200;
    private static final int RATE = 20;
    private static final Duration HOLD = Duration.ofSeconds(Long.getLong("lastKnownState.holdSeconds", 60));

    private final WireMockServer v1 = new WireMockServer(options().dynamicPort());
    private final WireMockServer v2 = new WireMockServer(options().dynamicPort());
    private FakeControlPlane cp;
    private final List<ConfigurableApplicationContext> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(ConfigurableApplicationContext::close);
        if (cp != null) {
            cp.close();
        }
        v1.stop();
        v2.stop();
    }

    @Test
    void v2ShareHoldsThroughAKillAndADatabaseOutageInStreamingAndPollingMode() throws Exception {
        v1.start();
        v2.start();
        v1.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v1\"}")));
        v2.stubFor(any(anyUrl()).willReturn(okJson("{\"from\":\"v2\"}")));
        cp = new FakeControlPlane(Features.payload(5, true, 50, List.of(), List.of()));
        Path dir = Files.createTempDirectory("last-known-state");
        // one router per mode, on the same control plane, under load at the same time
        Map<String, FlagDecider> deciders = new LinkedHashMap<>();
        Map<String, Load> loads = new LinkedHashMap<>();
        for (String mode : List.of("STREAMING", "POLLING")) {
            Map<String, String> p = RouterContexts.defaults(cp.baseUrl(), v1.baseUrl(), v2.baseUrl(), dir, "router-" + mode.toLowerCase());
            p.put("switchboard.router.unleash.mode", mode);
            p.put("switchboard.router.unleash.streaming-fallback-after", "2s");
            p.put("switchboard.router.unleash.stream-check-interval", "2s");
            ConfigurableApplicationContext router = RouterContexts.start(p);
            routers.add(router);
            deciders.put(mode, router.getBean(FlagDecider.class));
            loads.put(mode, new Load(RouterContexts.port(router)));
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> deciders.values().stream()
                .allMatch(d -> d.revisions().revisionOf("voice_agent_v2") == 5));

        Map<String, Double> before = each(loads, l -> l.v2Share(Duration.ofSeconds(10)));
        before.values().forEach(share -> assertThat(share).as("v2 share with the control plane up").isBetween(35.0, 65.0));

        // episode 1: kill -9
        cp.kill();
        Map<String, List<Double>> duringKill = each(loads, l -> l.v2SharesOver(HOLD));
        assertThat(deciders.get("STREAMING").source()).isEqualTo("polling-fallback");
        for (ConfigurableApplicationContext router : routers) {
            assertThat(router.getBean(FlagDecider.class).stateAge()).isGreaterThan(Duration.ofSeconds(30));
            assertThat(router.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get("switchboard.router.flag.state.age").gauge().value()).isGreaterThan(30);
        }
        cp.start();
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> deciders.values().stream().allMatch(d -> d.stateAge().isZero()));

        // episode 2: the database goes away, the control plane closes its streams and answers 503
        cp.databaseOutage(true);
        Map<String, List<Double>> duringOutage = each(loads, l -> l.v2SharesOver(HOLD));
        cp.databaseOutage(false);
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> deciders.values().stream().allMatch(d -> d.stateAge().isZero()));
        Map<String, Double> after = each(loads, l -> l.v2Share(Duration.ofSeconds(10)));

        int blocks = (int) (HOLD.toSeconds() * RATE / TENANTS);
        for (String mode : deciders.keySet()) {
            double b = before.get(mode);
            System.out.printf("[last-known-state] %s: before %.1f %%, killed %s, database outage %s, after %.1f %%%n",
                    mode, b, duringKill.get(mode), duringOutage.get(mode), after.get(mode));
            assertThat(duringKill.get(mode)).as("%s: v2 share per pass over all tenants, control plane killed (before: %.1f)", mode, b)
                    .hasSize(blocks).allSatisfy(share -> assertThat(share).isBetween(b - 2, b + 2));
            assertThat(duringOutage.get(mode)).as("%s: v2 share per pass over all tenants, database outage (before: %.1f)", mode, b)
                    .hasSize(blocks).allSatisfy(share -> assertThat(share).isBetween(b - 2, b + 2));
            assertThat(after.get(mode)).isBetween(b - 2, b + 2);
            assertThat(loads.get(mode).failures.get()).as("%s: webhooks not answered 200", mode).isZero();
        }
    }

    /** Runs the same measurement on every router at once. */
    private static <T> Map<String, T> each(Map<String, Load> loads, Measure<T> measure) throws Exception {
        Map<String, CompletableFuture<T>> running = new LinkedHashMap<>();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(loads.size());
        loads.forEach((mode, load) -> running.put(mode, CompletableFuture.supplyAsync(() -> {
            try {
                return measure.on(load);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads)));
        threads.shutdown();
        Map<String, T> results = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<T>> e : running.entrySet()) {
            results.put(e.getKey(), e.getValue().get());
        }
        return results;
    }

    @FunctionalInterface
    private interface Measure<T> {
        T on(Load load) throws Exception;
    }

    /** Paced generic webhooks, tenant i % 200, each a new call; v2 share per block of 200 (one pass over all tenants). */
    private static final class Load {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final AtomicInteger failures = new AtomicInteger();
        private long sequence;

        Load(int port) {
            this.uri = URI.create("http://127.0.0.1:" + port + "/webhooks/generic");
        }

        double v2Share(Duration duration) throws Exception {
            List<Double> shares = v2SharesOver(duration);
            return shares.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        List<Double> v2SharesOver(Duration duration) throws Exception {
            int total = (int) (duration.toSeconds() * RATE / TENANTS) * TENANTS;
            List<CompletableFuture<String>> variants = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * (1_000_000_000L / RATE);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                variants.add(send(sequence++));
            }
            List<Double> shares = new ArrayList<>();
            for (int block = 0; block < total / TENANTS; block++) {
                int v2s = 0;
                for (int i = block * TENANTS; i < (block + 1) * TENANTS; i++) {
                    if ("v2".equals(variants.get(i).get())) {
                        v2s++;
                    }
                }
                shares.add(100.0 * v2s / TENANTS);
            }
            return shares;
        }

        private CompletableFuture<String> send(long n) {
            String tenant = "tenant-" + (n % TENANTS);
            String body = "{\"type\":\"call-started\",\"id\":\"m-" + n + "\",\"callId\":\"c-" + n + "\"}";
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            GenericSigner.headers("generic_secret", tenant, body).forEach(request::header);
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).handle((response, e) -> {
                if (e != null || response.statusCode() != 200) {
                    failures.incrementAndGet();
                    return "failed";
                }
                return response.headers().firstValue("X-Switchboard-Variant").orElse("none");
            });
        }
    }
}
