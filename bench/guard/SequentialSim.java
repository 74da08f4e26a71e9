// The guard's detector on a virtual clock, with the control plane's own classes (Analyzer, SequentialRules with the
// defaults the control plane runs, the same thresholds): 2-s router windows, the guard evaluating after each window
// (it evaluates every second; between two windows it sees the same data), the sequential tests over the last 2 min,
// the 5-min sliding rules with K=3. A critical raise is what the control plane would roll back on.
//
//   aa     <days> <calls/s> <seed> [v2 share]
//          A/A traffic (v1 and v2 the same system, v2 share 0.5 unless given) with realistic noise:
//          - diurnal traffic: calls/s × (1 + 0.6 sin(2π t / 1 day)), Poisson per window, ~2 webhooks per call;
//          - a shared base error rate drifting around 1 % (log-normal, sigma 0.35, new level every 10 min);
//          - shared bursts (a provider outage hitting both variants): about every 6 h, 30-120 s at 2-10x the base;
//          - overdispersion, independent per variant: each window's rate × log-normal (sigma 0.25), and errors
//            arrive in clusters of one call's webhooks (1 + Poisson(1) errors per failing call, the router counts
//            the call once as failed);
//          - latency log-normal around 300 ms (sigma 0.3) with a shared level (sigma 0.1, every 10 min), shared slow
//            spells (about every 6 h, 30-120 s, x1.65) and per-variant window jitter (sigma 0.05);
//          - calls (one per two webhooks).
//          Counts critical raises (= rollbacks under auto-rollback) and warnings, by rule.
//   detect <trials> <calls/s> <v2 share> <v2 error rate> <baseline error rate> <seed>
//          time from the first bad call to the critical raise, including the wait for the router window to close
//          and be pushed (up to 2 s) and for the next evaluation (up to 1 s): 60 s healthy at the baseline on both
//          variants, then v2 at the bad rate from a random instant inside a window; errors binomial, each failing
//          webhook its own call (as the faults of bench/guard/e2e.sh and of the demo).
//
// Run (after mvn -q -pl control-plane -am -DskipTests package):
//   java -cp control-plane/target/classes:contract/target/classes bench/guard/SequentialSim.java aa 30 20 1
import dev.switchboard.contract.LatencyBuckets;
import dev.switchboard.controlplane.guard.Analyzer;
import dev.switchboard.controlplane.guard.Finding;
import dev.switchboard.controlplane.guard.GuardInput;
import dev.switchboard.controlplane.guard.GuardState;
import dev.switchboard.controlplane.guard.SequentialRules;
import dev.switchboard.controlplane.guard.Thresholds;
import dev.switchboard.controlplane.guard.Transition;
import dev.switchboard.controlplane.metrics.MetricWindowStore.Sums;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;

public class SequentialSim {

    static final int WINDOW_S = 2;
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    public static void main(String[] args) {
        if (args[0].equals("aa")) {
            aa(Integer.parseInt(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3]),
                    args.length > 4 ? Double.parseDouble(args[4]) : 0.5);
        } else {
            detect(Integer.parseInt(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]),
                    Double.parseDouble(args[4]), Double.parseDouble(args[5]), Long.parseLong(args[6]));
        }
    }

    /** The guard of one flag: the production Analyzer and SequentialRules over the windows it is given. */
    static final class Guard {
        final Analyzer analyzer = new Analyzer(Thresholds.DEFAULTS);
        final SequentialRules rules = new SequentialRules(Thresholds.DEFAULTS);
        GuardState state = GuardState.INITIAL;
        final Deque<SequentialRules.Bucket> horizon = new ArrayDeque<>();
        final Deque<SequentialRules.Bucket> sliding = new ArrayDeque<>();

        /** One closed window arrives and the guard evaluates; returns the transitions. */
        List<Transition> push(SequentialRules.Bucket b, Instant now) {
            horizon.addLast(b);
            if (horizon.size() > 120 / WINDOW_S) {
                horizon.removeFirst();
            }
            sliding.addLast(b);
            if (sliding.size() > 300 / WINDOW_S) {
                sliding.removeFirst();
            }
            List<Finding> seq = rules.evaluate(new ArrayList<>(horizon), "2m");
            GuardInput in = new GuardInput("5m", total("v1", sliding, true).stats(), total("v2", sliding, false).stats(),
                    null, null, null, null, null, null, 0, Map.of(), seq);
            Analyzer.Outcome o = analyzer.step(state, in, now);
            state = o.state();
            return o.verdict().transitions();
        }

        /** As after a rollback: re-armed, the windows before it are not judged again. */
        void rearm() {
            state = GuardState.INITIAL;
            horizon.clear();
            sliding.clear();
        }
    }

    static void aa(int days, double callsPerSecond, long seed, double v2Share) {
        Random r = new Random(seed);
        Guard guard = new Guard();
        double level = 0.01, latencyShift = 0, burstFactor = 1;
        long burstUntil = -1, slowUntil = -1;
        int critical = 0, warnings = 0, evaluations = 0;
        long v2Requests = 0, v2Errors = 0;
        Map<String, Integer> byRule = new java.util.TreeMap<>();
        long wall = System.nanoTime();
        for (long t = 0; t < days * 86400L; t += WINDOW_S) {
            if (t % 600 == 0) {
                level = 0.01 * Math.exp(0.35 * r.nextGaussian());
                latencyShift = 0.1 * r.nextGaussian();
            }
            if (r.nextDouble() < WINDOW_S / (6.0 * 3600)) {
                burstUntil = t + 30 + r.nextInt(90);
                burstFactor = 2 + 8 * r.nextDouble();
            }
            if (r.nextDouble() < WINDOW_S / (6.0 * 3600)) {
                slowUntil = t + 30 + r.nextInt(90);
            }
            double diurnal = 1 + 0.6 * Math.sin(2 * Math.PI * t / 86400.0);
            double webhooks = callsPerSecond * diurnal * 2 * WINDOW_S;
            double rate = Math.min(0.5, level * (t < burstUntil ? burstFactor : 1));
            double mu = Math.log(300) + latencyShift + (t < slowUntil ? 0.5 : 0);
            SequentialRules.Bucket b = new SequentialRules.Bucket(
                    noisy(r, "v1", poisson(r, webhooks * (1 - v2Share)), rate, mu),
                    noisy(r, "v2", poisson(r, webhooks * v2Share), rate, mu));
            v2Requests += b.v2().requests();
            v2Errors += b.v2().errors();
            List<Transition> transitions = guard.push(b, T0.plusSeconds(t));
            evaluations++;
            for (Transition tr : transitions) {
                if (tr.kind() == Transition.Kind.RAISE) {
                    byRule.merge(tr.severity().wireName() + " " + tr.primaryRule(), 1, Integer::sum);
                    if (tr.severity().wireName().equals("critical")) {
                        critical++;
                        if (System.getenv("SIM_DEBUG") != null) {
                            System.out.println("t=" + t + " " + tr.evidence().map(Finding::message).orElse(""));
                            StringBuilder w = new StringBuilder("  windows (v1 errors/requests, v2 errors/requests):");
                            guard.horizon.stream().skip(Math.max(0, guard.horizon.size() - 12)).forEach(x -> w.append(' ')
                                    .append(x.v1().errors()).append('/').append(x.v1().requests()).append(',')
                                    .append(x.v2().errors()).append('/').append(x.v2().requests()));
                            System.out.println(w + " burst=" + (t < burstUntil) + " level=" + level);
                        }
                        guard.rearm();
                    } else {
                        warnings++;
                    }
                }
            }
        }
        System.out.printf("A/A %d days at %.0f calls/s, v2 share %.0f%% (seed %d): %d evaluations, %d v2 requests "
                        + "(%.2f%% errors), %d critical alerts (= rollbacks under auto-rollback), %d warnings %s; %.1f s%n",
                days, callsPerSecond, v2Share * 100, seed, evaluations, v2Requests, 100.0 * v2Errors / v2Requests,
                critical, warnings, byRule, (System.nanoTime() - wall) / 1e9);
    }

    static void detect(int trials, double callsPerSecond, double v2Share, double badRate, double baseline, long seed) {
        Random r = new Random(seed);
        double[] times = new double[trials];
        Map<String, Integer> byRule = new java.util.TreeMap<>();
        for (int i = 0; i < trials; i++) {
            Guard guard = new Guard();
            double v2PerWindow = callsPerSecond * 2 * WINDOW_S * v2Share;
            double v1PerWindow = callsPerSecond * 2 * WINDOW_S * (1 - v2Share);
            long t = 0;
            for (int w = 0; w < 60 / WINDOW_S; w++, t += WINDOW_S) { // one minute healthy
                guard.push(bucket(r, v1PerWindow, v2PerWindow, baseline, baseline, baseline, 1.0), T0.plusSeconds(t));
            }
            double offset = r.nextDouble() * WINDOW_S; // the fault starts inside a window
            double detectedAt = Double.POSITIVE_INFINITY;
            for (int w = 1; w < 300 && Double.isInfinite(detectedAt); w++, t += WINDOW_S) {
                double badShare = w == 1 ? (WINDOW_S - offset) / WINDOW_S : 1.0;
                List<Transition> tr = guard.push(bucket(r, v1PerWindow, v2PerWindow, baseline, baseline, badRate,
                        badShare), T0.plusSeconds(t));
                for (Transition x : tr) {
                    if (x.kind() == Transition.Kind.RAISE && x.severity().wireName().equals("critical")) {
                        byRule.merge(x.primaryRule(), 1, Integer::sum);
                        // window w closed at w*WINDOW_S after the first window's start; pushed within ms; next
                        // evaluation within the 1-s interval; the rollback commits in tens of ms
                        detectedAt = w * WINDOW_S - offset + r.nextDouble() * 1.0 + 0.05;
                    }
                }
            }
            times[i] = detectedAt;
        }
        Arrays.sort(times);
        System.out.printf("detection, %d trials, %.0f calls/s, v2 share %.0f%%, v2 errors %.0f%% (baseline %.1f%%): "
                        + "median %.1f s, p90 %.1f s, p99 %.1f s, worst %.1f s; raised by %s%n", trials, callsPerSecond,
                v2Share * 100, badRate * 100, baseline * 100, times[trials / 2], times[(int) Math.ceil(trials * 0.9) - 1],
                times[(int) Math.ceil(trials * 0.99) - 1], times[trials - 1], byRule);
    }

    static SequentialRules.Bucket bucket(Random r, double v1n, double v2n, double v1Rate, double v2Good, double v2Rate,
                                         double badShare) {
        long n2 = poisson(r, v2n);
        long bad = Math.round(n2 * badShare);
        Sums good = sums(r, "v2", n2 - bad, v2Good, Math.log(300));
        Sums worse = sums(r, "v2", bad, v2Rate, Math.log(300));
        long[] counts = new long[LatencyBuckets.COUNTS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = good.latencyCounts()[i] + worse.latencyCounts()[i];
        }
        Sums v2 = new Sums("v2", n2, good.errors() + worse.errors(), good.calls() + worse.calls(),
                good.failedCalls() + worse.failedCalls(), 0, 0, good.latencySumMs() + worse.latencySumMs(), counts);
        return new SequentialRules.Bucket(sums(r, "v1", poisson(r, v1n), v1Rate, Math.log(300)), v2);
    }

    static Sums total(String variant, Deque<SequentialRules.Bucket> windows, boolean v1) {
        long n = 0, e = 0, calls = 0, failed = 0;
        long[] counts = new long[LatencyBuckets.COUNTS];
        double latency = 0;
        for (SequentialRules.Bucket b : windows) {
            Sums s = v1 ? b.v1() : b.v2();
            n += s.requests();
            e += s.errors();
            calls += s.calls();
            failed += s.failedCalls();
            latency += s.latencySumMs();
            for (int i = 0; i < counts.length; i++) {
                counts[i] += s.latencyCounts()[i];
            }
        }
        return new Sums(variant, n, e, calls, failed, 0, 0, latency, counts);
    }

    /** One variant's window with the overdispersion of real traffic (see the header). */
    static Sums noisy(Random r, String variant, long n, double sharedRate, double sharedMu) {
        double rate = Math.min(0.9, sharedRate * Math.exp(0.25 * r.nextGaussian() - 0.25 * 0.25 / 2));
        long errors = 0;
        long failedCalls = 0;
        long failing = poisson(r, n * rate / 2);
        for (long i = 0; i < failing && errors < n; i++) {
            errors = Math.min(n, errors + 1 + poisson(r, 1));
            failedCalls++;
        }
        Sums s = sums(r, variant, n, 0, sharedMu + 0.05 * r.nextGaussian());
        long calls = Math.max(failedCalls, n / 2);
        return new Sums(variant, n, errors, calls, failedCalls, 0, 0, s.latencySumMs(), s.latencyCounts());
    }

    /** One variant's window: binomial errors, latencies log-normal (sigma 0.3) drawn bucket by bucket. */
    static Sums sums(Random r, String variant, long n, double rate, double mu) {
        long errors = binomial(r, n, rate);
        long[] counts = new long[LatencyBuckets.COUNTS];
        long left = n;
        double massLeft = 1;
        double previous = 0;
        double latencySum = 0;
        for (int i = 0; i < counts.length && left > 0; i++) {
            double cdf = i < LatencyBuckets.BOUNDS_MS.size() ? lognormalCdf(LatencyBuckets.BOUNDS_MS.get(i), mu, 0.3) : 1;
            double p = cdf - previous;
            previous = cdf;
            long c = i == counts.length - 1 ? left : binomial(r, left, Math.min(1, Math.max(0, p / massLeft)));
            counts[i] = c;
            left -= c;
            massLeft -= p;
            latencySum += c * Math.exp(mu);
        }
        // as in bench/guard/e2e.sh and the demo's faults: each failing webhook is its own failed call
        return new Sums(variant, n, errors, n, errors, 0, 0, latencySum, counts);
    }

    static double lognormalCdf(double x, double mu, double sigma) {
        return phi((Math.log(x) - mu) / sigma);
    }

    static double phi(double z) {
        double t = 1 / (1 + 0.2316419 * Math.abs(z));
        double d = 0.3989423 * Math.exp(-z * z / 2);
        double p = d * t * (0.3193815 + t * (-0.3565638 + t * (1.781478 + t * (-1.821256 + t * 1.330274))));
        return z > 0 ? 1 - p : p;
    }

    static long poisson(Random r, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 50) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        double l = Math.exp(-mean), p = 1;
        long k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Exact binomial by geometric skips: O(n p). */
    static long binomial(Random r, long n, double p) {
        if (p <= 0 || n <= 0) {
            return 0;
        }
        if (p >= 1) {
            return n;
        }
        if (p > 0.5) {
            return n - binomial(r, n, 1 - p);
        }
        double log1p = Math.log(1 - p);
        long count = 0;
        long i = -1;
        while (true) {
            i += 1 + (long) Math.floor(Math.log(1 - r.nextDouble()) / log1p);
            if (i >= n) {
                return count;
            }
            count++;
        }
    }
}
