package dev.switchboard.controlplane.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.switchboard.controlplane.alerts.AlertMessages;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The buttons of an alert message pressed in Slack: a signed {@code block_actions} payload in the shape of
 * Slack's documentation, sent to {@code POST /slack/interactions}; Slack's Web API ({@code chat.update},
 * {@code chat.postEphemeral}) is WireMock.
 */
class SlackInteractionTest extends AlertActionsTestBase {

    private static final String CHANNEL = "C0CA5ALERTS";
    private static final String MESSAGE_TS = "1548261231.000200";
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void slackAnswersOk() {
        SLACK.resetAll();
        SLACK.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"channel\":\"" + CHANNEL
                        + "\",\"ts\":\"" + MESSAGE_TS + "\"}")));
        SLACK.stubFor(post(urlEqualTo("/api/chat.postEphemeral")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true,\"message_ts\":\"1.2\"}")));
    }

    @Test
    void theAlertMessageCarriesTheButtonsWithConfirmationOnTheDestructiveOnes() {
        Map<String, Object> flagAlert = AlertMessages.slackRaised(text("voice_v2", null), 42);
        List<Object> buttons = actions(flagAlert);
        assertThat(buttons).extracting(b -> (Object) ((Map<?, ?>) b).get("action_id")).containsExactly(
                AlertMessages.ACTION_ACK, AlertMessages.ACTION_ROLLBACK_PARTIAL, AlertMessages.ACTION_ROLLBACK_TOTAL,
                AlertMessages.ACTION_OPEN_DASHBOARD);
        for (Object b : buttons.subList(1, 3)) {
            Map<?, ?> button = (Map<?, ?>) b;
            assertThat(button.get("confirm")).isNotNull();
            assertThat(button.get("style")).isEqualTo("danger");
            assertThat(button.get("value")).isEqualTo("42");
        }
        assertThat(((Map<?, ?>) buttons.get(3)).get("url")).isEqualTo("http://dashboard.test/flags/voice_v2");

        List<Object> tenantButtons = actions(AlertMessages.slackRaised(text("voice_v2", "acme"), 43));
        assertThat(tenantButtons).extracting(b -> (Object) ((Map<?, ?>) b).get("action_id")).containsExactly(
                AlertMessages.ACTION_ACK, AlertMessages.ACTION_ROLLBACK_TENANT, AlertMessages.ACTION_OPEN_DASHBOARD);

        Map<String, Object> status = AlertMessages.slackStatus("voice_v2", "canary", 5, 3, 300, 0.01, 0.02, 400, 800,
                1000, "early-adopters", "operator", "http://dashboard.test/flags/voice_v2");
        assertThat(actions(status)).extracting(b -> (Object) ((Map<?, ?>) b).get("action_id"))
                .containsExactly(AlertMessages.ACTION_OPEN_DASHBOARD);
    }

    @Test
    void totalRollbackFromAConfiguredAdminRollsBackAuditsAndUpdatesTheMessageTwice() {
        String flag = createFlag(true);
        setPercentage(flag, 25);
        long alertId = raiseAlert(flag, Optional.empty(), "critical");

        press("U0ADMIN", AlertMessages.ACTION_ROLLBACK_TOTAL, alertId, flag, null).expectStatus().isOk();

        Map<?, ?> state = flag(flag);
        assertThat(state.get("enabled")).isEqualTo(false);
        assertThat(state.get("percentage")).isEqualTo(0);
        List<Object> audit = audit(flag, "slack:U0ADMIN");
        assertThat(audit).hasSize(1);
        Map<?, ?> row = (Map<?, ?>) audit.get(0);
        assertThat(row.get("action")).isEqualTo("rollback.total");
        assertThat((String) row.get("reason")).contains("alert #" + alertId).contains("error-rate");
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.update"))
                .withFormParam("channel", equalTo(CHANNEL)).withFormParam("ts", equalTo(MESSAGE_TS))
                .withFormParam("blocks", containing("Total rollback of " + flag + " by <@U0ADMIN>"))
                .withFormParam("blocks", notContaining(AlertMessages.ACTION_ROLLBACK_TOTAL))
                .withFormParam("blocks", containing(AlertMessages.ACTION_ACK)));

        // second press (someone else in the channel was quicker): nothing more to do, said so, no second audit row
        press("U0ADMIN", AlertMessages.ACTION_ROLLBACK_TOTAL, alertId, flag, null).expectStatus().isOk();
        assertThat(audit(flag, "slack:U0ADMIN")).hasSize(1);
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.update"))
                .withFormParam("blocks", containing("(it already was)")));
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/chat.postEphemeral")));
    }

    @Test
    void anOperatorMayRollBackToZeroButNotTotallyAsOnTheApi() {
        String flag = createFlag(true);
        setPercentage(flag, 40);
        long alertId = raiseAlert(flag, Optional.empty(), "critical");

        press("U0OPERATOR", AlertMessages.ACTION_ROLLBACK_TOTAL, alertId, flag, null).expectStatus().isOk();
        assertThat(flag(flag).get("enabled")).isEqualTo(true);
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.postEphemeral")).withFormParam("user", equalTo("U0OPERATOR"))
                .withFormParam("text", containing("needs the admin role")));

        press("U0OPERATOR", AlertMessages.ACTION_ROLLBACK_PARTIAL, alertId, flag, null).expectStatus().isOk();
        Map<?, ?> state = flag(flag);
        assertThat(state.get("enabled")).isEqualTo(true);
        assertThat(state.get("percentage")).isEqualTo(0);
        assertThat(audit(flag, "slack:U0OPERATOR")).extracting(r -> (Object) ((Map<?, ?>) r).get("action"))
                .containsExactly("rollback.partial");
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.update"))
                .withFormParam("blocks", containing(flag + " rolled back to 0 % by <@U0OPERATOR>")));
    }

    @Test
    void tenantRollbackDeniesTheTenantOfTheAlert() {
        String flag = createFlag(true);
        setPercentage(flag, 50);
        String tenant = registerTenant();
        long alertId = raiseAlert(flag, Optional.of(tenant), "critical");

        press("U0OPERATOR", AlertMessages.ACTION_ROLLBACK_TENANT, alertId, flag, tenant).expectStatus().isOk();

        Map<?, ?> state = flag(flag);
        assertThat(((List<?>) state.get("denyTenants")).stream().map(String::valueOf).toList()).containsExactly(tenant);
        assertThat(state.get("percentage")).isEqualTo(50);
        assertThat(audit(flag, "slack:U0OPERATOR")).extracting(r -> (Object) ((Map<?, ?>) r).get("action"))
                .containsExactly("rollback.tenant");
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.update"))
                .withFormParam("blocks", containing("Tenant " + tenant + " rolled back to v1 by <@U0OPERATOR>")));
    }

    @Test
    void acknowledgeMarksTheAlertAcknowledgedBySlackUser() {
        String flag = createFlag(true);
        long alertId = raiseAlert(flag, Optional.empty(), "warning");

        press("U0OPERATOR", AlertMessages.ACTION_ACK, alertId, flag, null).expectStatus().isOk();

        Map<?, ?> alert = alert(flag, alertId);
        assertThat(alert.get("acknowledgedBy")).isEqualTo("slack:U0OPERATOR");
        assertThat(audit(flag, "slack:U0OPERATOR")).extracting(r -> (Object) ((Map<?, ?>) r).get("action"))
                .containsExactly("alert.acknowledged");
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.update"))
                .withFormParam("blocks", containing(":eyes: Acknowledged by <@U0OPERATOR>"))
                .withFormParam("blocks", notContaining(AlertMessages.ACTION_ACK))
                .withFormParam("blocks", containing(AlertMessages.ACTION_ROLLBACK_TOTAL)));
        // a second acknowledgement changes nothing
        press("U0ADMIN", AlertMessages.ACTION_ACK, alertId, flag, null).expectStatus().isOk();
        assertThat(alert(flag, alertId).get("acknowledgedBy")).isEqualTo("slack:U0OPERATOR");
    }

    @Test
    void aBadSignatureAStaleTimestampAndAnUnmappedUserChangeNothing() {
        String flag = createFlag(true);
        setPercentage(flag, 30);
        long alertId = raiseAlert(flag, Optional.empty(), "critical");
        Map<?, ?> before = flag(flag);
        String body = form(payload("U0ADMIN", AlertMessages.ACTION_ROLLBACK_TOTAL, alertId, flag, null));
        String now = String.valueOf(Instant.now().getEpochSecond());

        // signed with another secret
        send(body, now, SlackSignature.sign("not-the-secret", now, body)).expectStatus().isUnauthorized();
        // the right signature over another body (a replay with the button changed)
        send(body.replace("switchboard_rollback_total", "switchboard_rollback_partial"), now,
                SlackSignature.sign(SIGNING_SECRET, now, body)).expectStatus().isUnauthorized();
        // no signature at all
        send(body, now, null).expectStatus().isUnauthorized();
        // correctly signed, but six minutes old (a replay)
        String stale = String.valueOf(Instant.now().minusSeconds(360).getEpochSecond());
        send(body, stale, SlackSignature.sign(SIGNING_SECRET, stale, body)).expectStatus().isUnauthorized();
        assertThat(flag(flag)).isEqualTo(before);

        // signed and fresh, from a Slack user nobody mapped, then from a viewer: "not allowed", only to them
        press("U0STRANGER", AlertMessages.ACTION_ROLLBACK_TOTAL, alertId, flag, null).expectStatus().isOk();
        press("U0VIEWER", AlertMessages.ACTION_ACK, alertId, flag, null).expectStatus().isOk();
        assertThat(flag(flag)).isEqualTo(before);
        assertThat(alert(flag, alertId).get("acknowledgedAt")).isNull();
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.postEphemeral")).withFormParam("user", equalTo("U0STRANGER"))
                .withFormParam("channel", equalTo(CHANNEL)).withFormParam("text", containing("not allowed")));
        awaitSlack(postRequestedFor(urlEqualTo("/api/chat.postEphemeral")).withFormParam("user", equalTo("U0VIEWER"))
                .withFormParam("text", containing("not allowed")));
        // no update of this alert's message (an update another test's alert sends late may still arrive here)
        SLACK.verify(0, postRequestedFor(urlEqualTo("/api/chat.update")).withFormParam("blocks", containing(flag)));
        assertThat(audit(flag, "slack:U0STRANGER")).isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec press(String user, String actionId, long alertId, String flag, String tenant) {
        String body = form(payload(user, actionId, alertId, flag, tenant));
        String ts = String.valueOf(Instant.now().getEpochSecond());
        return send(body, ts, SlackSignature.sign(SIGNING_SECRET, ts, body));
    }

    private WebTestClient.ResponseSpec send(String body, String timestamp, String signature) {
        WebTestClient.RequestBodySpec request = web.post().uri("/slack/interactions")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Slack-Request-Timestamp", timestamp);
        if (signature != null) {
            request = request.header("X-Slack-Signature", signature);
        }
        return request.bodyValue(body).exchange();
    }

    private static String form(String payload) {
        return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
    }

    /** A {@code block_actions} payload as in Slack's documentation, for a press on our alert message. */
    private String payload(String user, String actionId, long alertId, String flag, String tenant) {
        Map<String, Object> message = new LinkedHashMap<>(AlertMessages.slackRaised(text(flag, tenant), alertId));
        message.put("type", "message");
        message.put("ts", MESSAGE_TS);
        message.put("bot_id", "B0SWITCH");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "block_actions");
        p.put("user", Map.of("id", user, "username", "amy.mcgee", "name", "amy.mcgee", "team_id", "T3MDE"));
        p.put("api_app_id", "A0CA5");
        p.put("token", "deprecated-verification-token");
        p.put("container", Map.of("type", "message", "message_ts", MESSAGE_TS, "channel_id", CHANNEL,
                "is_ephemeral", false));
        p.put("trigger_id", "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3");
        p.put("team", Map.of("id", "T3MDE", "domain", "voiceco"));
        p.put("enterprise", null);
        p.put("is_enterprise_install", false);
        p.put("channel", Map.of("id", CHANNEL, "name", "voice-agent-alerts"));
        p.put("message", message);
        p.put("state", Map.of("values", Map.of()));
        p.put("response_url", "http://127.0.0.1:" + SLACK.port() + "/actions/T3MDE/1/xyz");
        p.put("actions", List.of(Map.of("action_id", actionId, "block_id", AlertMessages.ACTIONS_BLOCK,
                "text", Map.of("type", "plain_text", "text", "Total rollback", "emoji", true),
                "value", String.valueOf(alertId), "style", "danger", "type", "button",
                "action_ts", "1548426417.840180")));
        return json.writeValueAsString(p);
    }

    private static AlertMessages.AlertText text(String flag, String tenant) {
        return new AlertMessages.AlertText(flag, tenant, "critical", "error-rate",
                "Voice Agent V2: critical error-rate (" + flag + ")", "v2 error rate 10.00% over 20s",
                "none (notify-only policy)", Instant.parse("2026-11-22T03:12:00Z"),
                "http://dashboard.test/flags/" + flag, Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> actions(Map<String, Object> message) {
        return ((List<?>) message.get("blocks")).stream().map(b -> (Map<?, ?>) b)
                .filter(b -> "actions".equals(b.get("type"))).map(b -> (List<Object>) b.get("elements"))
                .findFirst().orElseThrow();
    }

    private static void awaitSlack(RequestPatternBuilder request) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> SLACK.verify(
                com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(1), request));
    }
}
