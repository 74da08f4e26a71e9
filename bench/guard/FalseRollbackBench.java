// False-rollback simulation: 24 h on a virtual clock, v1 and v2 both at 1 % errors with normal latency
// jitter, evaluated as the control plane does (5-min sliding window, 20-s recent and 30-s confirm windows,
// K=3, M=3). A 10-s router window is visible only once it has closed and been pushed, so at an evaluation
// the 5-min window holds 29 closed windows, the 20-s window the latest one and the 30-s window the last two.
// Run: java -cp control-plane/target/classes bench/guard/FalseRollbackBench.java [seed] [requestsPerSecond]
import dev.switchboard.controlplane.guard.Analyzer;
import dev.switchboard.controlplane.guard.GuardInput;
import dev.switchboard.controlplane.guard.GuardState;
import dev.switchboard.controlplane.guard.Thresholds;
import dev.switchboard.controlplane.guard.Transition;
import dev.switchboard.controlplane.metrics.LatencyHistogram;
import dev.switchboard.controlplane.metrics.VariantStats;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;

public class FalseRollbackBench {

    record Window(long[] v1, long[] v2) { } // [requests, errors, latencySum, counts...]

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int rps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Random random = new Random(seed);
        Analyzer analyzer = new Analyzer(Thresholds.DEFAULTS);
        GuardState state = GuardState.INITIAL;
        Deque<Window> windows = new ArrayDeque<>();
        Instant start = Instant.parse("2026-11-22T00:00:00Z");
        int evaluations = 0, criticalRaises = 0, warningRaises = 0, rollbacks = 0, criticalVerdicts = 0;
        long wall = System.nanoTime();
        int pendingEvaluations = 0, warningVerdicts = 0;
        Map<String, Integer> warningRules = new java.util.TreeMap<>();
        // virtual clock, 5-s evaluation interval; evaluations 2.5 s after a window closes and 7.5 s after
        for (int t = 0; t < 24 * 3600; t += 5) {
            if (t % 10 == 0) { // the window [t-10, t) closes and is pushed
                windows.addLast(new Window(window(random, rps * 10, 0.01), window(random, rps * 10, 0.01)));
                if (windows.size() > 29) {
                    windows.removeFirst();
                }
            }
            GuardInput input = new GuardInput("5m", stats("v1", windows, 29, true), stats("v2", windows, 29, false),
                    "20s", stats("v1", windows, 1, true), stats("v2", windows, 1, false),
                    "30s", stats("v1", windows, 2, true), stats("v2", windows, 2, false), 0, Map.of());
            Analyzer.Outcome out = analyzer.step(state, input, start.plusSeconds(t).plusMillis(2500));
            if (out.state().flag().criticalStreak() > 0 && !out.verdict().status().equals("critical")) {
                pendingEvaluations++; // counts towards the critical streak without being critical
            }
            state = out.state();
            evaluations++;
            if (out.verdict().status().equals("critical")) {
                criticalVerdicts++;
            } else if (out.verdict().status().equals("warning")) {
                warningVerdicts++;
            }
            for (Transition tr : out.verdict().transitions()) {
                if (tr.kind() == Transition.Kind.RAISE) {
                    if (tr.severity().name().equals("CRITICAL")) {
                        criticalRaises++;
                        rollbacks++; // auto-rollback policy: every critical raise rolls back
                    } else {
                        warningRaises++;
                        warningRules.merge(tr.primaryRule(), 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("seed=%d rps/variant=%d evaluations=%d criticalVerdicts(single evaluations)=%d "
                        + "pendingCritical=%d warningVerdicts=%d criticalAlerts=%d rollbacks=%d warningAlerts=%d %s wall=%d ms%n",
                seed, rps, evaluations, criticalVerdicts, pendingEvaluations, warningVerdicts, criticalRaises, rollbacks,
                warningRaises, warningRules, (System.nanoTime() - wall) / 1_000_000);
    }

    /** One 10-s window of one variant: binomial errors, log-normal latency around 300 ms (p95 about 500 ms). */
    static long[] window(Random random, int requests, double errorRate) {
        long[] w = new long[3 + LatencyHistogram.COUNTS];
        w[0] = requests;
        double sum = 0;
        for (int i = 0; i < requests; i++) {
            if (random.nextDouble() < errorRate) {
                w[1]++;
            }
            double latency = Math.exp(Math.log(300) + 0.3 * random.nextGaussian());
            sum += latency;
            int b = 0;
            while (b < LatencyHistogram.BOUNDS_MS.size() && latency > LatencyHistogram.BOUNDS_MS.get(b)) {
                b++;
            }
            w[3 + b]++;
        }
        w[2] = (long) sum;
        return w;
    }

    static VariantStats stats(String variant, Deque<Window> windows, int last, boolean v1) {
        long requests = 0, errors = 0, latency = 0;
        long[] counts = new long[LatencyHistogram.COUNTS];
        int skip = Math.max(0, windows.size() - last), i = 0;
        for (Window w : windows) {
            if (i++ < skip) {
                continue;
            }
            long[] x = v1 ? w.v1() : w.v2();
            requests += x[0];
            errors += x[1];
            latency += x[2];
            for (int b = 0; b < counts.length; b++) {
                counts[b] += x[3 + b];
            }
        }
        return new VariantStats(variant, requests, errors, requests == 0 ? 0 : (double) errors / requests,
                requests / 8, 0, 0, requests == 0 ? 0 : (double) latency / requests,
                LatencyHistogram.percentile(counts, 0.95), 0, 0);
    }
}
