package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.ControlPlaneTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the dashboard tests: the control plane with two dashboard users (bcrypt cost 4 to keep logins fast)
 * and, until the guard lands, {@link FixedMetrics} as the comparison source so the cards have numbers.
 */
@TestPropertySource(properties = {
        "switchboard.dashboard.users[0].username=viewer",
        "switchboard.dashboard.users[0].password-hash=$2y$04$s74534.RyT/xUr6ruoxJM.U35tooPpT8v1Ptkg6s95cdKs2TQ7FJO",
        "switchboard.dashboard.users[0].role=viewer",
        "switchboard.dashboard.users[1].username=operator",
        "switchboard.dashboard.users[1].password-hash=$2y$04$xcaaMwP.el8hzRCaDeZF.ujdE9Um./loJ8Z7MHIOAAZRC8X037bym",
        "switchboard.dashboard.users[1].role=operator",
        "switchboard.dashboard.refresh-seconds=2",
})
@Import(FixedMetrics.class)
abstract class DashboardTest extends ControlPlaneTest {

    static final String VIEWER_PASSWORD = "viewer-pw";
    static final String OPERATOR_PASSWORD = "operator-pw";

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }
}
