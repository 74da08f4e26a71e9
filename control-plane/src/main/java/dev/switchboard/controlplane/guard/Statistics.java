package dev.switchboard.controlplane.guard;

/** The little statistics the guard needs: one-sided normal tests on proportions. */
final class Statistics {

    private Statistics() {
    }

    /** Confidence (0..1) that the true rate behind {@code events/n} is above {@code threshold}. */
    static double confidenceAbove(long events, long n, double threshold) {
        if (n == 0) {
            return 0;
        }
        double p = (double) events / n;
        double t = Math.min(Math.max(threshold, 1e-9), 1 - 1e-9);
        double z = (p - t) / Math.sqrt(t * (1 - t) / n);
        return phi(z);
    }

    /** One-sided two-proportion z-test: confidence that rate a is above rate b (pooled variance). */
    static double confidenceGreater(long eventsA, long nA, long eventsB, long nB) {
        if (nA == 0 || nB == 0) {
            return 0;
        }
        double pa = (double) eventsA / nA;
        double pb = (double) eventsB / nB;
        double pooled = (double) (eventsA + eventsB) / (nA + nB);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / nA + 1.0 / nB));
        if (se == 0) {
            return pa > pb ? 1 : 0;
        }
        return phi((pa - pb) / se);
    }

    /**
     * Confidence (0..1) that rate a is more than {@code factor} times rate b, from the same windows: conditional on
     * the {@code eventsA + eventsB} events, each falls on a with probability {@code factor·q / (factor·q + 1 − q)}
     * (q = a's share of the trials) when a's rate is exactly {@code factor} times b's, so the confidence is one minus
     * the binomial tail P(X ≥ eventsA). A cause both share (every rate up by the same factor) leaves the split of
     * the events where it was: this test does not move, however bad both get. Exact up to 5,000 events, normal
     * approximation beyond.
     */
    static double confidenceRatioAbove(long eventsA, long nA, long eventsB, long nB, double factor) {
        return confidenceRatioAbove(eventsA, nA, eventsB, nB, factor, 1);
    }

    /**
     * The same with events that come in clumps ({@code dispersion} events on average behave as one independent
     * observation, e.g. the webhooks of one failing call): a's events are counted as {@code floor(a / dispersion)}
     * and b's as {@code ceil(b / dispersion)}, so clumping cannot make a chance split look confident.
     */
    static double confidenceRatioAbove(long eventsA, long nA, long eventsB, long nB, double factor, double dispersion) {
        eventsA = (long) Math.floor(eventsA / dispersion);
        eventsB = (long) Math.ceil(eventsB / dispersion);
        long total = eventsA + eventsB;
        if (nA <= 0 || nB <= 0 || total == 0) {
            return 0;
        }
        double q = (double) nA / (nA + nB);
        double share = factor * q / (factor * q + 1 - q);
        return 1 - upperTail(eventsA, total, share);
    }

    /** P(X ≥ k) for X ~ Binomial(n, p). */
    static double upperTail(long k, long n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        if (p <= 0) {
            return 0;
        }
        if (n > 5000) {
            double sd = Math.sqrt(n * p * (1 - p));
            return 1 - phi((k - 0.5 - n * p) / sd);
        }
        // log pmf(k) by lgamma-free recurrence from the mode side: sum pmf(j) for j = k..n in log space
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logPmf = logChoose(n, k) + k * logP + (n - k) * logQ;
        double sum = 0;
        double term = logPmf;
        for (long j = k; j <= n; j++) {
            double v = Math.exp(term);
            sum += v;
            if (v < sum * 1e-12 && j > n * p) {
                break;
            }
            term += Math.log((double) (n - j) / (j + 1)) + logP - logQ;
        }
        return Math.min(1, sum);
    }

    private static double logChoose(long n, long k) {
        long m = Math.min(k, n - k);
        double s = 0;
        for (long i = 1; i <= m; i++) {
            s += Math.log((double) (n - m + i) / i);
        }
        return s;
    }

    /** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf; error below 1.5e-7). */
    static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
