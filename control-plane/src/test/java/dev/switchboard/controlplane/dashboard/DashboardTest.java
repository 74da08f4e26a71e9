package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.metrics.MetricPushes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the dashboard tests: the control plane with two dashboard users (bcrypt cost 4 to keep logins fast).
 * Metrics reach the cards the way they do in production: routers' 10-second windows posted to
 * {@code /api/v1/router-metrics} with the router token, read back by the guard's comparison source.
 * <p>
 * The guard's loop runs in this context every second (so an alert test needs a few seconds, not fifteen), and
 * the stage plan's bake times are 0 for canary and early-adopters (so an advance test need not wait) and 1 h
 * after. Every flag that receives unhealthy numbers is switched to the guard's notify-only policy first, so no
 * guard loop (this context's or another test context's on the same database) rolls it back under a test.
 */
@TestPropertySource(properties = {
        "switchboard.dashboard.users[0].username=viewer",
        "switchboard.dashboard.users[0].password-hash=$2y$04$s74534.RyT/xUr6ruoxJM.U35tooPpT8v1Ptkg6s95cdKs2TQ7FJO",
        "switchboard.dashboard.users[0].role=viewer",
        "switchboard.dashboard.users[1].username=operator",
        "switchboard.dashboard.users[1].password-hash=$2y$04$xcaaMwP.el8hzRCaDeZF.ujdE9Um./loJ8Z7MHIOAAZRC8X037bym",
        "switchboard.dashboard.users[1].role=operator",
        // bcrypt cost 10 like a production user, for the login timing test
        "switchboard.dashboard.users[2].username=timing",
        "switchboard.dashboard.users[2].password-hash=$2a$10$Q9Grvxeob7gNaoS432m79.aNTvFhY4MH519D4YQNsSNaTKEd6q3.6",
        "switchboard.dashboard.users[2].role=viewer",
        "switchboard.dashboard.refresh-seconds=2",
        "switchboard.guard.interval=1s",
        "switchboard.stages.min-bake=0s,0s,1h,1h",
})
abstract class DashboardTest extends ControlPlaneTest {

    static final String VIEWER_PASSWORD = "viewer-pw";
    static final String OPERATOR_PASSWORD = "operator-pw";
    static final String TIMING_PASSWORD = "timing-pw";

    /**
     * One variant's traffic in one 10-second window. All requests take about {@code latencyMs}, so they land in
     * one histogram bucket and the p95 is that bucket's lower bound plus 95% of its width.
     */
    record Traffic(long requests, long errors, long calls, long failedCalls, long circuitBreakerOpens, long failovers,
                   double latencyMs) {
    }

    /** v1 in every test: per window 1,000 requests, 8 errors (0.80%), 250 calls, 2 failed; p95 495 ms. */
    static final Traffic V1 = new Traffic(1000, 8, 250, 2, 0, 1, 450);
    /** v2 within every threshold: 1.00% errors, no failed calls, p95 495 ms. */
    static final Traffic V2_HEALTHY = new Traffic(100, 1, 25, 0, 0, 0, 450);
    /** v2 in the p95 warning band: (800, 1000] ms bucket, p95 990 ms. */
    static final Traffic V2_SLOW = new Traffic(100, 1, 25, 0, 0, 0, 900);
    /** v2 past the no-go lines: 8% errors, 12% failed calls, a circuit-breaker open per window, p95 1485 ms. */
    static final Traffic V2_FAILING = new Traffic(100, 8, 25, 3, 1, 2, 1300);

    /** Windows each test pushes: the three complete 10-second windows before the current one. */
    static final int WINDOWS = 3;

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The guard only notifies about this flag (no pause, no auto-rollback), whichever guard loop judges it. */
    void notifyOnly(String flag) {
        admin().put().uri("/api/v1/flags/{f}/guard", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("policy", "notify-only", "reason", "test")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.policy").isEqualTo("notify-only");
    }

    long revision(String flag) {
        return ((Number) admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("revision")).longValue();
    }

    /**
     * Posts {@link #WINDOWS} windows of v1 and v2 traffic for one tenant as router {@code router} holding
     * {@code revision} of the flag, exactly as a router does.
     */
    void pushWindows(String flag, String router, long revision, String tenant, Traffic v2) {
        for (int back = WINDOWS; back >= 1; back--) { // oldest first: an anchor that moves on mid-loop cannot repeat a start
            MetricPushes push = MetricPushes.window(router, windowAgo(back)).revision(flag, revision);
            add(push, flag, "v1", tenant, V1);
            add(push, flag, "v2", tenant, v2);
            asRouter(router).post().uri("/api/v1/router-metrics").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(push.build()).exchange().expectStatus().isAccepted();
        }
    }

    private static void add(MetricPushes push, String flag, String variant, String tenant, Traffic t) {
        push.series(flag, variant, tenant, t.requests(), t.errors(), t.calls(), t.failedCalls(),
                t.circuitBreakerOpens(), t.failovers(), t.latencyMs());
    }

    /** The start of the 10-second window {@code back} windows before the current one. */
    static Instant windowAgo(int back) {
        return MetricPushes.windowAgo(back);
    }

    /** Waits for something another thread does (the guard's loop), checking every 200 ms. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
