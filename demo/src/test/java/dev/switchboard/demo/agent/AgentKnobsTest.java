package dev.switchboard.demo.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AgentKnobsTest {

    @Test
    void changesOnlyTheKnobsGiven() {
        AgentKnobs k = AgentKnobs.HEALTHY.with(Map.of("errorRate", "0.1"));
        assertThat(k).isEqualTo(new AgentKnobs(0.1, AgentKnobs.HEALTHY.latencyMedianMs(),
                AgentKnobs.HEALTHY.latencyJitterMs(), false));
        assertThat(k.with(Map.of("outage", "on", "latencyMs", "900", "jitterMs", "0")))
                .isEqualTo(new AgentKnobs(0.1, 900, 0, true));
        assertThat(k.with(Map.of("outage", "off")).outage()).isFalse();
    }

    @Test
    void refusesBadValuesNamingTheKnob() {
        assertThatThrownBy(() -> AgentKnobs.HEALTHY.with(Map.of("errorRate", "1.5"))).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> AgentKnobs.HEALTHY.with(Map.of("errorRate", "lots"))).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> AgentKnobs.HEALTHY.with(Map.of("latencyMs", "-1"))).hasMessageContaining("latencyMs");
        assertThatThrownBy(() -> AgentKnobs.HEALTHY.with(Map.of("outage", "maybe"))).hasMessageContaining("outage");
        assertThatThrownBy(() -> AgentKnobs.HEALTHY.with(Map.of("errorrate", "0.1"))).hasMessageContaining("unknown knob");
    }

    @Test
    void fatesFollowTheKnobs() {
        SplittableRandom random = new SplittableRandom(42);
        AgentKnobs tenPercent = new AgentKnobs(0.1, 200, 0, false);
        int errors = 0;
        for (int i = 0; i < 10_000; i++) {
            Fate f = Fate.draw(tenPercent, random);
            assertThat(f.delayMs()).isEqualTo(200);
            errors += f.kind() == Fate.Kind.ERROR ? 1 : 0;
        }
        assertThat(errors).isBetween(800, 1200);
        assertThat(Fate.draw(new AgentKnobs(0, 10, 0, true), random).kind()).isEqualTo(Fate.Kind.OUTAGE);
        assertThat(Fate.draw(new AgentKnobs(0, 0, 5000, false), random).delayMs()).isGreaterThanOrEqualTo(0);
        assertThat(Fate.draw(AgentKnobs.HEALTHY.with(Map.of("jitterMs", "0")), random).kind()).isEqualTo(Fate.Kind.ANSWER);
    }
}
