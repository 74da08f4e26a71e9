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

    /** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf; error below 1.5e-7). */
    static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
