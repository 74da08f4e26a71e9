package dev.switchboard.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.contract.Identifiers;
import dev.switchboard.contract.MetricWindow;
import dev.switchboard.contract.WindowRules;
import dev.switchboard.router.decision.RouterIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The router never builds a window the control plane would refuse: random traffic (new calls, errors, failover
 * chains where v1 fails too, provider retries of the same call, circuit opens, odd and over-long tenant ids,
 * latencies from 0 to beyond the last bucket), windows closed at random points, and every closed window checked
 * with the contract's own rules, the ones the control plane runs.
 */
class WindowContractPropertiesTest {

    /** What the pipeline records for one webhook: one outcome, or two for a failover. */
    record Event(String tenant, String variant, Optional<String> callId, boolean newCall, boolean error,
                 boolean failover, boolean v1AlsoFails, int opens, double latencyMs, boolean closeAfter) {
    }

    private static final String[] ODD_TENANTS = {"acme eu", "", " ", "_unresolved", "x".repeat(200), "ünïcode",
            "a/b", "-leading-dash", "tenant\n", "_private"};

    @Provide
    Arbitrary<Event> events() {
        Arbitrary<String> tenant = Arbitraries.oneOf(
                Arbitraries.of("acme", "beta", "tenant-0001", "t.x@y:z"),
                Arbitraries.of(ODD_TENANTS),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(140));
        Arbitrary<Optional<String>> callId = Arbitraries.oneOf(
                Arbitraries.just(Optional.<String>empty()),
                Arbitraries.integers().between(1, 12).map(i -> Optional.of("call-" + i))); // small pool: retries
        return Combinators.combine(
                tenant, Arbitraries.of("v1", "v2"), callId, Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false, false, false), Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((t, v, c, n, e, f, v1f, o) -> new Event(t, v, c, n, e, f, v1f, o, 0, false))
                .flatMap(e -> Combinators.combine(Arbitraries.doubles().between(0, 40_000), Arbitraries.of(false, false, false, true))
                        .as((lat, close) -> new Event(e.tenant(), e.variant(), e.callId(), e.newCall(), e.error(),
                                e.failover(), e.v1AlsoFails(), e.opens(), lat, close)));
    }

    @Property(tries = 150)
    void everyClosedWindowIsAcceptedWhole(@ForAll @Size(max = 400) List<@net.jqwik.api.From("events") Event> events) {
        Instant start = Instant.parse("2026-12-06T10:00:00Z");
        MutableClock clock = new MutableClock(start);
        MetricWindows windows = new MetricWindows("voice_agent_v2", new RouterIdentity("router-1", "1.0"), f -> 7,
                () -> java.time.Duration.ZERO, clock);
        List<MetricWindow> closed = new ArrayList<>();
        for (Event e : events) {
            record(windows, e);
            clock.advanceMillis(37);
            if (e.closeAfter()) {
                closed.add(windows.close());
            }
        }
        clock.advanceMillis(1500);
        closed.add(windows.close());
        for (MetricWindow w : closed) {
            WindowRules.Checked checked = WindowRules.check(w, clock.instant());
            assertThat(checked.all()).as("window %s", w).isEmpty();
            assertThat(checked.refused()).isEmpty();
            w.series().forEach(s -> assertThat(Identifiers.validMetricTenant(s.tenantId())).isTrue());
        }
    }

    /** Each window carries how old the decided-on flag state is: 0 while live, whole seconds, null when never confirmed. */
    @net.jqwik.api.Example
    void windowsCarryTheFlagStateAgeTheContractAccepts() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
        java.util.concurrent.atomic.AtomicReference<java.time.Duration> age = new java.util.concurrent.atomic.AtomicReference<>(java.time.Duration.ZERO);
        MetricWindows windows = new MetricWindows("voice_agent_v2", new RouterIdentity("router-1", "1.0"), f -> 7,
                age::get, clock);
        List<Long> reported = new ArrayList<>();
        for (java.time.Duration d : List.of(java.time.Duration.ZERO, java.time.Duration.ofMillis(250_400),
                java.time.Duration.ofMillis(Long.MAX_VALUE), java.time.Duration.ofSeconds(1))) {
            age.set(d);
            clock.advanceMillis(2000);
            MetricWindow w = windows.close();
            assertThat(WindowRules.check(w, clock.instant()).all()).isEmpty();
            reported.add(w.flagStateAgeSeconds());
        }
        assertThat(reported).containsExactly(0L, 250L, null, 1L);
    }

    /** Events racing the close of their window never make the closed window break an invariant. */
    @Property(tries = 8)
    void windowsClosedUnderConcurrentTrafficAreAccepted(@ForAll @Size(min = 50, max = 200) List<@net.jqwik.api.From("events") Event> events)
            throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.now());
        MetricWindows windows = new MetricWindows("voice_agent_v2", new RouterIdentity("router-1", "1.0"), f -> 7,
                () -> java.time.Duration.ZERO, clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                started.countDown();
                while (!stop.get()) {
                    // bursts at a realistic pace (a router serves thousands per second, not millions)
                    for (int k = 0; k < 20; k++) {
                        record(windows, events.get(ThreadLocalRandom.current().nextInt(events.size())));
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
        }
        started.await();
        List<MetricWindow> closed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(20);
            clock.advanceMillis(1000);
            closed.add(windows.close());
        }
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (MetricWindow w : closed) {
            assertThat(WindowRules.check(w, clock.instant()).all()).isEmpty();
        }
    }

    /** As WebhookPipeline records it: a failover is a failed v2 outcome plus the v1 outcome. */
    private static void record(MetricWindows windows, Event e) {
        if (e.failover()) {
            windows.record(new WebhookOutcome("vapi", "v2", e.tenant(), e.callId(), e.newCall(), true, true, e.opens(),
                    -1, "failover"));
            windows.record(new WebhookOutcome("vapi", "v1", e.tenant(), e.callId(), false, e.v1AlsoFails(), false, 0,
                    e.latencyMs(), e.v1AlsoFails() ? "backend_error" : "forwarded"));
        } else {
            windows.record(new WebhookOutcome("vapi", e.variant(), e.tenant(), e.callId(), e.newCall(), e.error(), false,
                    e.opens(), e.latencyMs(), e.error() ? "backend_error" : "forwarded"));
        }
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advanceMillis(long ms) {
            now = now.plusMillis(ms);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
