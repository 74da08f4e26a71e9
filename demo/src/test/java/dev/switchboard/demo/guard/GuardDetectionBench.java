package dev.switchboard.demo.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * bench/guard/e2e.sh: first bad call → total rollback, end to end. The real control plane and router jars with
 * their defaults (router windows 2 s unless {@code bench.push} says otherwise, guard every 1 s, the sequential
 * tests at their default thresholds), 20 calls/s of generic webhooks
 * (2 per call, so 40 webhooks/s) through the router, the flag at {@code bench.percent} (100 by default). Each
 * trial: healthy traffic, then v2 answers 500 to 10 % of requests; measured from the first 500 v2 served (WireMock's
 * log) to the commit of the guard's {@code rollback.total} (its audit row), same machine clock. Not a test: run it
 * with {@code -Dtest=GuardDetectionBench -Dbench.trials=20}.
 */
class GuardDetectionBench {

    @Test
    void firstBadCallToTotalRollback() throws Exception {
        int trials = Integer.getInteger("bench.trials", 20);
        int percent = Integer.getInteger("bench.percent", 100);
        double callsPerSecond = Double.parseDouble(System.getProperty("bench.calls", "20"));
        String router = "bench-router";
        String token = router + ":bench-router-secret-01";
        String flag = "bench_flag";
        try (RealStack stack = new RealStack("guard-detection-bench")) {
            stack.routerPushInterval = System.getProperty("bench.push", "2s");
            stack.startControlPlane(token);
            stack.startRouter(router, token, flag);
            stack.api("POST", "/api/v1/flags", Map.of("name", flag, "description", "detection bench"));
            AtomicLong call = new AtomicLong();
            stack.startTraffic((int) Math.round(callsPerSecond * 2), () -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                return new String[] {"t-" + r.nextInt(300), Boolean.toString(r.nextDouble() < 0.10)};
            });
            List<Double> seconds = new ArrayList<>();
            for (int trial = 1; trial <= trials; trial++) {
                stack.api("POST", "/api/v1/flags/" + flag + "/enable", Map.of("reason", "bench trial " + trial));
                stack.api("PUT", "/api/v1/flags/" + flag + "/percentage", Map.of("percentage", percent, "reason", "bench"));
                Thread.sleep(8000 + ThreadLocalRandom.current().nextInt(2000)); // healthy, and a random phase
                int rollbacksBefore = rollbacks(stack, flag).size();
                StubMapping fault = stack.v2.stubFor(any(anyUrl()).atPriority(1)
                        .withRequestBody(matchingJsonPath("$.fail", equalTo("true")))
                        .willReturn(aResponse().withStatus(500).withBody("{\"error\":\"fault\"}")));
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                List<JsonNode> rollbacks;
                while ((rollbacks = rollbacks(stack, flag)).size() == rollbacksBefore && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                stack.v2.removeStub(fault);
                if (rollbacks.size() == rollbacksBefore) {
                    System.out.println("trial " + trial + ": no rollback within 90 s");
                    seconds.add(Double.POSITIVE_INFINITY);
                    continue;
                }
                Instant rolledBack = Instant.parse(rollbacks.get(0).path("at").asString());
                Instant firstBad = stack.v2.getAllServeEvents().stream()
                        .filter(e -> e.getStubMapping() != null && fault.getId().equals(e.getStubMapping().getId()))
                        .map(ServeEvent::getRequest).map(r -> r.getLoggedDate().toInstant()).min(Instant::compareTo)
                        .orElseThrow();
                double s = Duration.between(firstBad, rolledBack).toMillis() / 1000.0;
                seconds.add(s);
                System.out.printf(Locale.ROOT, "trial %d: first bad call %s, rollback %s: %.2f s%n", trial, firstBad,
                        rolledBack, s);
                stack.v2.resetRequests();
            }
            List<Double> sorted = new ArrayList<>(seconds);
            sorted.sort(Double::compare);
            int n = sorted.size();
            System.out.printf(Locale.ROOT, "RESULT trials=%d calls/s=%.0f percent=%d windows=%s median=%.2f s p90=%.2f s "
                            + "p99=%.2f s worst=%.2f s best=%.2f s all=%s%n", n, callsPerSecond, percent, stack.routerPushInterval,
                    sorted.get(n / 2),
                    sorted.get((int) Math.ceil(n * 0.9) - 1), sorted.get((int) Math.ceil(n * 0.99) - 1),
                    sorted.get(n - 1), sorted.get(0), seconds);
        }
    }

    /** The guard's total rollbacks of the flag, newest first. */
    private static List<JsonNode> rollbacks(RealStack stack, String flag) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        stack.api("GET", "/api/v1/audit?flag=" + flag + "&action=rollback.total&actor=guard&limit=100", null)
                .path("items").forEach(out::add);
        return out;
    }
}
