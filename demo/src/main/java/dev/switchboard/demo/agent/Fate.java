package dev.switchboard.demo.agent;

import java.util.random.RandomGenerator;

/** What happens to one webhook: answered normally, failed with a 500, or refused by an outage; after a delay. */
public record Fate(Kind kind, long delayMs) {

    public enum Kind { ANSWER, ERROR, OUTAGE }

    /** Draws the fate of one request from the knobs; the latency is median + jitter × N(0,1), never below 0. */
    public static Fate draw(AgentKnobs knobs, RandomGenerator random) {
        if (knobs.outage()) {
            return new Fate(Kind.OUTAGE, 0);
        }
        long delay = Math.max(0, Math.round(knobs.latencyMedianMs() + knobs.latencyJitterMs() * random.nextGaussian()));
        Kind kind = random.nextDouble() < knobs.errorRate() ? Kind.ERROR : Kind.ANSWER;
        return new Fate(kind, delay);
    }
}
