package dev.switchboard.controlplane.guard;

import java.util.List;

/**
 * Sequential detection over short router windows: a CUSUM (Page's test) of the log-likelihood ratio of "the rate
 * is bad" ({@code p1}) against "the rate is acceptable" ({@code p0}), updated window by window in time order and
 * restarted at zero whenever the evidence turns in favour of p0. It alarms when the statistic reaches {@code h}.
 *
 * <p>False-alarm bound: when the true rate is p0 (or lower), the expected number of observations before a false
 * alarm is at least e^h (Lorden); at the guard's defaults (p0 = the warning threshold 2 %, p1 = twice the critical
 * threshold 10 %, h = 16) that is one false alarm in 8.9 million v2 requests at a true 2 %, and in about 10^11 at a
 * true 1 % (bench/guard, SequentialFalseAlarmSim). Detection: at a true 10 % the statistic grows by 0.084 per
 * request, so about 190 requests after the change (5 s at 40 requests/s). The indifference point (no drift
 * either way) is 5 %, the critical threshold.
 *
 * <p>Pure and stateless: the guard recomputes it from the stored windows on every evaluation, so a restart, a
 * second control plane or a late window all give the same answer.
 */
public final class Sequential {

    /** One observation: {@code n} trials with {@code events} events (one router window, or several summed). */
    public record Window(long n, long events) {
    }

    /**
     * @param statistic current CUSUM value (≥ 0)
     * @param samples   trials since the statistic last stood at zero (the run behind the current value)
     * @param events    events in that run
     */
    public record Result(double statistic, long samples, long events, int fromIndex) {

        public double rate() {
            return samples == 0 ? 0 : (double) events / samples;
        }
    }

    private Sequential() {
    }

    public static Result cusum(List<Window> windows, double p0, double p1) {
        double up = Math.log(p1 / p0);
        double down = Math.log((1 - p1) / (1 - p0));
        Run run = new Run(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (w.n() > 0) {
                run.step(i, w.events() * up + (w.n() - w.events()) * down, w.n(), w.events());
            }
        }
        return run.result();
    }

    /**
     * One window of two arms side by side: v2's and v1's trials and (independent) events over the same time. The
     * result's events are these, rounded: the caller reports rates from its own counts.
     */
    public record Pair(long n2, double events2, long n1, double events1) {
    }

    /**
     * A CUSUM of "v2's rate is {@code ratio} times v1's" against "the same rate", over the split of the events
     * between the two arms, window by window: given the events of a window, each falls on v2 with probability
     * q = v2's share of the window's trials when both rates are equal, and {@code ratio·q / (ratio·q + 1 − q)} under
     * the alternative. Conditioning on the events makes the test blind to anything that moves both rates alike (a
     * carrier outage, the time of day, a drifting base rate): under equal rates the split does not change, so the
     * false-alarm bound (e^h events on average before a false alarm, Lorden) holds whatever the base rate does.
     * Windows where one arm has no trials carry no information and are skipped.
     */
    public static Result cusumSplit(List<Pair> windows, double ratio) {
        return cusumSplit(windows, ratio, 1);
    }

    /**
     * The same when events come in clumps of about {@code dispersion} (the webhooks of one failing call fail together):
     * each window's log-likelihood ratio is divided by it, so a clump weighs as one observation and the bound holds
     * in clumps instead of events.
     */
    public static Result cusumSplit(List<Pair> windows, double ratio, double dispersion) {
        Run run = new Run(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            Pair w = windows.get(i);
            if (w.n2() <= 0 || w.n1() <= 0 || w.events2() + w.events1() == 0) {
                run.carry(w.n2(), Math.round(w.events2())); // no information, but v2's counts belong to a running alarm
                continue;
            }
            double q = (double) w.n2() / (w.n2() + w.n1());
            double q1 = ratio * q / (ratio * q + 1 - q);
            double llr = (w.events2() * Math.log(q1 / q) + w.events1() * Math.log((1 - q1) / (1 - q))) / dispersion;
            run.step(i, llr, w.n2(), Math.round(w.events2()));
        }
        return run.result();
    }

    /**
     * The one-sided CUSUM recursion both tests share: the statistic climbs by each window's log-likelihood ratio and
     * restarts at zero when it would fall to or below it; the counts are those of the current run (since its last
     * restart), which starts at {@code from}.
     */
    private static final class Run {
        private double s;
        private long n;
        private long e;
        private int from;

        Run(int windows) {
            this.from = windows;
        }

        void step(int window, double llr, long trials, long events) {
            double next = s + llr;
            if (next <= 0) {
                s = 0;
                n = 0;
                e = 0;
                from = window + 1;
                return;
            }
            if (s == 0) {
                from = window;
            }
            s = next;
            n += trials;
            e += events;
        }

        void carry(long trials, long events) {
            if (s > 0) {
                n += trials;
                e += events;
            }
        }

        Result result() {
            return new Result(s, n, e, from);
        }
    }

    /**
     * How much more the split of the events between the arms varies from window to window than a binomial split
     * would (quasi-binomial dispersion, ≥ 1, at most {@code max}). Real traffic is overdispersed: each arm's rate
     * wobbles on its own from window to window (a slow instance, a retry storm hitting one arm's calls), and the
     * wobble grows with the counts, so in a burst at high traffic one arm can take well over half of the events by
     * chance. The estimate is Pearson's: the squared deviations of v2's events from what a <em>fitted</em> ratio
     * (v2's rate over v1's) predicts, against the binomial variance, summed over the windows (a window with many
     * events weighs more, as it does in the CUSUM), with k / (k − fitted ratios). The ratio is fitted separately
     * before and from {@code changeAt} (where the binomial CUSUM's current run starts: where v2 would have started
     * to go wrong), so a v2 that turned steadily worse than v1 moves the fitted mean of the split, not its spread,
     * and does not raise the estimate; a v2 that is bad only in some windows does, and is then judged with up to
     * {@code max} times fewer effective events (the absolute tests still see it). Fewer than {@code minWindows}
     * windows with events: 1 (too little to estimate).
     */
    public static double splitDispersion(List<Pair> windows, double max, int minWindows, int changeAt) {
        double[] ratio = {fittedRatio(windows, 0, Math.min(changeAt, windows.size())),
                fittedRatio(windows, Math.min(changeAt, windows.size()), windows.size())};
        int fitted = (Double.isNaN(ratio[0]) ? 0 : 1) + (Double.isNaN(ratio[1]) ? 0 : 1);
        double deviation = 0;
        double variance = 0;
        int k = 0;
        for (int i = 0; i < windows.size(); i++) {
            Pair w = windows.get(i);
            double total = w.events2() + w.events1();
            if (w.n2() <= 0 || w.n1() <= 0 || total == 0) {
                continue;
            }
            double r = ratio[i < changeAt ? 0 : 1];
            double q = (double) w.n2() / (w.n2() + w.n1());
            double share = Double.isInfinite(r) ? 1 : r * q / (r * q + 1 - q);
            double d = w.events2() - total * share;
            deviation += d * d;
            variance += total * share * (1 - share);
            k++;
        }
        if (k < Math.max(fitted + 1, minWindows) || variance <= 0) {
            return 1;
        }
        double phi = deviation / variance * k / (k - fitted);
        return Math.min(max, Math.max(1, phi));
    }

    /** v2's rate over v1's over windows [from, to) where both have trials; NaN without events in them. */
    private static double fittedRatio(List<Pair> windows, int from, int to) {
        double v2Events = 0;
        double v1Events = 0;
        long v2n = 0;
        long v1n = 0;
        for (int i = from; i < to; i++) {
            Pair w = windows.get(i);
            if (w.n2() <= 0 || w.n1() <= 0) {
                continue;
            }
            v2Events += w.events2();
            v1Events += w.events1();
            v2n += w.n2();
            v1n += w.n1();
        }
        if (v2Events + v1Events == 0) {
            return Double.NaN;
        }
        return v1Events == 0 ? Double.POSITIVE_INFINITY : (v2Events / v2n) / (v1Events / v1n);
    }

    /** The false-alarm bound of a threshold, in words. */
    static String bound(double h, double p0) {
        return String.format(java.util.Locale.ROOT, "at most one false alarm per %.1e requests at a true %.1f%%",
                Math.exp(h), p0 * 100);
    }
}
