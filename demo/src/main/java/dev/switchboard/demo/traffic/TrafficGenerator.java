package dev.switchboard.demo.traffic;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * Places whole calls at a steady rate: each call picks a tenant (the canary tenants get a fixed share, as
 * internal test lines do), a provider by the mix, and one router (calls alternate between routers, a call's
 * events stay on one); its events follow each other with a short gap, like a conversation.
 */
public final class TrafficGenerator implements AutoCloseable {

    public record Settings(List<URI> routers, double callsPerSecond, long eventGapMs, double vapiShare,
                           double twilioShare, double canaryShare, int maxInFlightCalls) {
        public Settings {
            if (routers.isEmpty()) {
                throw new IllegalArgumentException("at least one router URL is needed");
            }
            if (!(callsPerSecond > 0 && callsPerSecond <= 5000)) {
                throw new IllegalArgumentException("call rate must be in (0, 5000] calls/s, got " + callsPerSecond);
            }
            if (vapiShare < 0 || twilioShare < 0 || vapiShare + twilioShare > 1) {
                throw new IllegalArgumentException("vapi + twilio shares must be between 0 and 1 (the rest is Retell)");
            }
            if (canaryShare < 0 || canaryShare > 1) {
                throw new IllegalArgumentException("canary share must be between 0 and 1");
            }
        }
    }

    private final Settings settings;
    private final TenantCatalog tenants;
    private final CallScripts scripts = new CallScripts();
    private final Signer signer;
    private final HttpClient http;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private final Executor gap;
    private final AtomicInteger nextRouter = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong callSeq = new AtomicLong();
    private final LongAdder callsStarted = new LongAdder();
    private final LongAdder callsSkipped = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder unreachable = new LongAdder();

    public TrafficGenerator(Settings settings, TenantCatalog tenants, Signer signer) {
        this.settings = settings;
        this.tenants = tenants;
        this.signer = signer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newFixedThreadPool(4)).build();
        this.gap = CompletableFuture.delayedExecutor(settings.eventGapMs(), TimeUnit.MILLISECONDS);
    }

    public void start() {
        long periodMicros = Math.max(1, Math.round(1_000_000 / settings.callsPerSecond()));
        ticker.scheduleAtFixedRate(this::placeCall, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** The events of the next call, without sending them (tests and dry runs). */
    public List<WebhookEvent> nextCall(RandomGenerator random) {
        DemoTenant tenant = pickTenant(random);
        long seq = callSeq.incrementAndGet();
        double p = random.nextDouble();
        if (p < settings.vapiShare()) {
            return scripts.vapiCall(tenant, String.format(Locale.ROOT, "call_demo_%d_%d", System.currentTimeMillis(), seq),
                    System.currentTimeMillis());
        }
        if (p < settings.vapiShare() + settings.twilioShare()) {
            return scripts.twilioCall(tenant, String.format(Locale.ROOT, "CA%032x", System.nanoTime() ^ (seq << 20)));
        }
        return scripts.retellCall(tenant);
    }

    DemoTenant pickTenant(RandomGenerator random) {
        if (random.nextDouble() < settings.canaryShare()) {
            return tenants.get(random.nextInt(TenantCatalog.CANARY_COUNT));
        }
        return tenants.get(TenantCatalog.CANARY_COUNT + random.nextInt(tenants.size() - TenantCatalog.CANARY_COUNT));
    }

    private void placeCall() {
        try {
            if (inFlight.get() >= settings.maxInFlightCalls()) {
                callsSkipped.increment(); // routers are not keeping up; do not pile up more
                return;
            }
            List<WebhookEvent> call = nextCall(ThreadLocalRandom.current());
            URI router = settings.routers().get(Math.floorMod(nextRouter.getAndIncrement(), settings.routers().size()));
            inFlight.incrementAndGet();
            callsStarted.increment();
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < call.size(); i++) {
                WebhookEvent event = call.get(i);
                chain = i == 0 ? chain.thenCompose(x -> send(router, event))
                        : chain.thenComposeAsync(x -> send(router, event), gap);
            }
            chain.whenComplete((x, e) -> inFlight.decrementAndGet());
        } catch (RuntimeException e) {
            System.err.println("[traffic] could not place a call: " + e);
        }
    }

    private CompletableFuture<Void> send(URI router, WebhookEvent event) {
        String url = router.toString().replaceAll("/+$", "") + event.path();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", event.contentType())
                .POST(HttpRequest.BodyPublishers.ofString(event.body()));
        for (Map.Entry<String, String> h : signer.headers(event, url, System.currentTimeMillis()).entrySet()) {
            request.header(h.getKey(), h.getValue());
        }
        events.increment();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        unreachable.increment();
                    } else if (response.statusCode() < 400) {
                        ok.increment();
                    } else if (response.statusCode() < 500) {
                        clientErrors.increment();
                    } else {
                        serverErrors.increment();
                    }
                    return null;
                });
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "calls started %d (skipped %d, in flight %d) | events %d: ok %d, 4xx %d, 5xx %d, unreachable %d",
                callsStarted.sum(), callsSkipped.sum(), inFlight.get(), events.sum(), ok.sum(), clientErrors.sum(),
                serverErrors.sum(), unreachable.sum());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
