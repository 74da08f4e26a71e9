package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * An expired session leads to login and, after it, back to the page the person was on: for a full page, for
 * an htmx poll (told to reload the page instead of swapping the login form into a panel) and for a form post.
 * A separate context with a 5-second idle timeout (short, yet long enough for a login and a page on a busy machine).
 */
@TestPropertySource(properties = "switchboard.dashboard.session-timeout=5s")
class SessionExpiryTest extends DashboardTest {

    @Test
    void expiredSessionGoesThroughLoginBackToTheSamePage() throws InterruptedException {
        String flag = createFlag(true);
        String path = "/dashboard/flags/" + flag;
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = operator.page(path);

        Thread.sleep(7000); // idle longer than the 5 s timeout

        operator.htmxGet(path + "/panels", baseUrl() + path).expectStatus().isUnauthorized()
                .expectHeader().valueEquals("HX-Redirect", path);
        operator.post(path + "/percentage", FormSession.form(page, "op", "plus10", "shown", "0", "revision", "2",
                "reason", "after expiry")).expectStatus().isUnauthorized().expectHeader().valueEquals("HX-Redirect", "/dashboard");
        operator.get(path).expectStatus().is3xxRedirection().expectHeader().valueMatches("Location", ".*/login");
        String back = operator.logIn("operator", OPERATOR_PASSWORD).expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
        assertThat(back).startsWith(path);
        assertThat(operator.page(back)).contains("data-test=\"card-v2\"");
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(0);
    }
}
