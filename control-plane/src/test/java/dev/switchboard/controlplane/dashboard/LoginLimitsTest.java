package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wait after each failure past a limit doubles, from the first block up to the cap. */
class LoginLimitsTest {

    @Test
    void theWaitGrowsWithEveryFailurePastTheLimitUpToTheCap() {
        DashboardProperties.Login login = new DashboardProperties.Login(5, 20, 50, null, null, null);
        assertThat(login.blockAfter(4, 5)).isZero();
        assertThat(login.blockAfter(5, 5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(login.blockAfter(6, 5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(login.blockAfter(7, 5)).isEqualTo(Duration.ofSeconds(120));
        assertThat(login.blockAfter(9, 5)).isEqualTo(Duration.ofSeconds(480));
        assertThat(login.blockAfter(10, 5)).isEqualTo(Duration.ofMinutes(15));
        assertThat(login.blockAfter(1000, 5)).isEqualTo(Duration.ofMinutes(15));
    }
}
