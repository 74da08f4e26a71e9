package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two control planes on one database, as behind a load balancer that does not pin a person to one of them:
 * log in through one, act through the other, come back to the first, still logged in; a logout through one
 * ends the login on both.
 */
class TwoControlPlanesDashboardTest extends DashboardTest {

    private static ConfigurableApplicationContext replicaB;
    private static String baseUrlB;

    @BeforeAll
    static void startReplicaB() {
        replicaB = startReplica("--switchboard.guard.enabled=false",
                "--switchboard.alerts.delivery-enabled=false",
                "--switchboard.dashboard.users[0].username=operator",
                "--switchboard.dashboard.users[0].password-hash=$2y$04$xcaaMwP.el8hzRCaDeZF.ujdE9Um./loJ8Z7MHIOAAZRC8X037bym",
                "--switchboard.dashboard.users[0].role=operator");
        baseUrlB = baseUrlOf(replicaB);
    }

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
    }

    @Test
    void logInThroughOneActThroughTheOtherAndStayLoggedIn() {
        String flag = createFlag(true);
        FormSession throughA = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        FormSession throughB = throughA.on(baseUrlB);

        // B knows the login made on A: the page renders for the operator, with a form to act
        String pageOnB = throughB.page("/dashboard/flags/" + flag);
        assertThat(pageOnB).contains("data-test=\"me\"").contains(">operator<");
        String answer = FormSession.body(throughB.post("/dashboard/flags/" + flag + "/percentage",
                FormSession.form(pageOnB, "op", "plus10", "shown", "0", "revision",
                        String.valueOf(FormSession.revision(pageOnB)), "reason", "through replica B"))
                .expectStatus().isOk());
        assertThat(answer).contains("Rollout set to 10%");

        // back on A: still logged in, sees the change B made, and can act again with A's own page
        String pageOnA = throughA.page("/dashboard/flags/" + flag);
        assertThat(pageOnA).contains("data-test=\"me\"").contains("data-test=\"percentage\">10%");
        String again = FormSession.body(throughA.post("/dashboard/flags/" + flag + "/percentage",
                FormSession.form(pageOnA, "op", "plus10", "shown", "10", "revision",
                        String.valueOf(FormSession.revision(pageOnA)), "reason", "through replica A"))
                .expectStatus().isOk());
        assertThat(again).contains("Rollout set to 20%");
        assertThat(throughB.page("/dashboard/audit?flag=" + flag)).contains("through replica B").contains("through replica A");

        // a logout through B ends the login on A as well
        String logoutPage = throughB.page("/dashboard");
        throughB.postForm("/logout", FormSession.form(logoutPage)).expectStatus().is3xxRedirection();
        throughA.get("/dashboard/flags/" + flag).expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/login");
    }
}
