// Detection time on a virtual clock, for the distribution rather than 10 samples: the real Analyzer, 10-s
// router windows of 200 requests per variant pushed at their close, evaluations every 5 s at a random phase
// after the close; v2 goes from 1 % to 10 % errors at a random instant inside a window. Measured: that instant
// → the evaluation that raises the critical alert (the rollback commits in the same transaction). Not measured:
// database and HTTP time (milliseconds), which DetectionBench includes.
// Run: java -cp control-plane/target/classes bench/guard/DetectionSim.java [trials] [seed]
import dev.switchboard.controlplane.guard.Analyzer;
import dev.switchboard.controlplane.guard.GuardInput;
import dev.switchboard.controlplane.guard.GuardState;
import dev.switchboard.controlplane.guard.Thresholds;
import dev.switchboard.controlplane.guard.Transition;
import dev.switchboard.controlplane.metrics.VariantStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

public class DetectionSim {

    public static void main(String[] args) {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        Random random = new Random(args.length > 1 ? Long.parseLong(args[1]) : 7);
        Analyzer analyzer = new Analyzer(Thresholds.DEFAULTS);
        List<Double> results = new ArrayList<>();
        for (int trial = 0; trial < trials; trial++) {
            double phase = random.nextDouble() * 5; // evaluation instants: window close + phase, + 5 s, ...
            int w0 = 30; // index of the window in which v2 turns bad; windows before it are healthy
            double u = random.nextDouble() * 10; // offset of t0 inside window w0
            List<long[]> v1 = new ArrayList<>(), v2 = new ArrayList<>(); // [requests, errors] per window
            GuardState state = GuardState.INITIAL;
            Double detected = null;
            for (int w = 0; detected == null && w < w0 + 30; w++) {
                v1.add(new long[] {200, errors(random, 200, i -> 0.01)});
                int window = w;
                v2.add(new long[] {200, errors(random, 200, i -> window < w0 || (window == w0 && i * 0.05 < u) ? 0.01 : 0.10)});
                for (int e = 0; e < 2 && detected == null; e++) { // two evaluations see this window as the latest
                    double at = (w + 1) * 10 + phase + 5 * e;
                    GuardInput in = new GuardInput("5m", stats("v1", v1, 29), stats("v2", v2, 29), "20s",
                            stats("v1", v1, 1), stats("v2", v2, 1), "30s", stats("v1", v1, 2), stats("v2", v2, 2), 0,
                            Map.of());
                    Analyzer.Outcome out = analyzer.step(state, in, Instant.EPOCH.plusMillis((long) (at * 1000)));
                    state = out.state();
                    for (Transition t : out.verdict().transitions()) {
                        if (t.kind() == Transition.Kind.RAISE && t.severity().name().equals("CRITICAL")) {
                            if (w < w0) {
                                throw new IllegalStateException("false alarm before v2 went bad in trial " + trial);
                            }
                            detected = at - (w0 * 10 + u);
                        }
                    }
                }
            }
            results.add(detected == null ? Double.POSITIVE_INFINITY : detected);
        }
        Collections.sort(results);
        long over30 = results.stream().filter(d -> d > 30).count();
        System.out.printf("trials=%d median=%.1f s p90=%.1f s p99=%.1f s worst=%.1f s over 30 s: %d (%.2f %%)%n", trials,
                results.get(trials / 2), results.get(trials * 9 / 10), results.get(trials * 99 / 100),
                results.get(trials - 1), over30, 100.0 * over30 / trials);
    }

    static long errors(Random random, int requests, java.util.function.IntToDoubleFunction rate) {
        long n = 0;
        for (int i = 0; i < requests; i++) {
            if (random.nextDouble() < rate.applyAsDouble(i)) {
                n++;
            }
        }
        return n;
    }

    static VariantStats stats(String variant, List<long[]> windows, int last) {
        long requests = 0, errors = 0;
        for (int i = Math.max(0, windows.size() - last); i < windows.size(); i++) {
            requests += windows.get(i)[0];
            errors += windows.get(i)[1];
        }
        return new VariantStats(variant, requests, errors, requests == 0 ? 0 : (double) errors / requests, requests / 8,
                0, 0, 300, 450, 0, 0);
    }
}
