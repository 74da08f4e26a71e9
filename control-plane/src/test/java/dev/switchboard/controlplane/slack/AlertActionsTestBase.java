package dev.switchboard.controlplane.slack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.switchboard.controlplane.ControlPlaneTest;
import dev.switchboard.controlplane.alerts.AlertStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Acting on alerts from Slack and PagerDuty: Slack's Web API is a WireMock server; Slack users U0OPERATOR,
 * U0ADMIN and U0VIEWER are mapped to roles, anyone else is not. Alerts are written as the guard writes them
 * (through {@link AlertStore}); this context neither runs the guard nor delivers alerts, so that it never
 * touches what other test contexts on the same database are doing.
 */
@TestPropertySource(properties = {
        "switchboard.slack.signing-secret=" + AlertActionsTestBase.SIGNING_SECRET,
        "switchboard.slack.users.U0OPERATOR=operator",
        "switchboard.slack.users.U0ADMIN=admin",
        "switchboard.slack.users.U0VIEWER=viewer",
        "switchboard.alerts.slack.bot-token=xoxb-test-token",
        "switchboard.alerts.delivery-enabled=false",
        "switchboard.guard.enabled=false",
        "switchboard.pagerduty.webhook-secrets=" + AlertActionsTestBase.PD_OLD_SECRET + "," + AlertActionsTestBase.PD_SECRET,
})
public abstract class AlertActionsTestBase extends ControlPlaneTest {

    public static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    public static final String PD_SECRET = "pd-webhook-secret-new";
    public static final String PD_OLD_SECRET = "pd-webhook-secret-old";

    protected static final WireMockServer SLACK = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    static {
        SLACK.start();
    }

    @DynamicPropertySource
    static void slackApi(DynamicPropertyRegistry registry) {
        registry.add("switchboard.alerts.slack.api-url", () -> "http://127.0.0.1:" + SLACK.port() + "/api/");
    }

    @AfterAll
    static void keepSlackForTheNextClass() {
        SLACK.resetRequests();
    }

    @Autowired
    protected AlertStore alerts;

    /** A guard alert on {@code flag} (and {@code tenant}), as the guard raises it; returns its id. */
    protected long raiseAlert(String flag, Optional<String> tenant, String severity) {
        String dedupKey = "switchboard/" + flag + tenant.map(t -> "/" + t).orElse("") + "/error-rate";
        return alerts.insertAlert(flag, tenant, severity, "error-rate", dedupKey,
                "error-rate over 20s: value 10.00%, threshold 5.00%", null, "none (notify-only policy)",
                Instant.now()).block();
    }

    protected String dedupKey(String flag, Optional<String> tenant) {
        return "switchboard/" + flag + tenant.map(t -> "/" + t).orElse("") + "/error-rate";
    }

    protected Map<?, ?> flag(String flag) {
        return admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    protected Map<?, ?> alert(String flag, long id) {
        List<?> list = admin().get().uri("/api/v1/alerts?flag={f}&status=all", flag).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        return list.stream().map(a -> (Map<?, ?>) a).filter(a -> ((Number) a.get("id")).longValue() == id)
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    protected List<Object> audit(String flag, String actor) {
        Map<?, ?> page = admin().get().uri("/api/v1/audit?flag={f}&actor={a}", flag, actor).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<Object>) page.get("items");
    }

    protected void setPercentage(String flag, int percentage) {
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", percentage, "reason", "test")).exchange().expectStatus().isOk();
    }
}
