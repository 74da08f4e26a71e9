package dev.switchboard.controlplane.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.slack.AlertActionsTestBase;
import dev.switchboard.controlplane.web.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/** A v3 webhook subscription's {@code incident.acknowledged} acknowledges the Switchboard alert of the incident. */
class PagerDutyWebhookTest extends AlertActionsTestBase {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void acknowledgedInPagerDutyIsAcknowledgedHereByDedupKeyOrByTheTitleTag() {
        String flag = createFlag(true);
        long byKey = raiseAlert(flag, Optional.empty(), "critical");
        String tenant = registerTenant();
        long byTitle = raiseAlert(flag, Optional.of(tenant), "critical");

        String first = event("incident.acknowledged", dedupKey(flag, Optional.empty()), "URGENT: rollback (" + flag + ")");
        send(first, "v1=" + Hmac.sha256Hex(PD_SECRET, bytes(first))).expectStatus().is2xxSuccessful();
        assertThat(alert(flag, byKey).get("acknowledgedBy")).isEqualTo("pagerduty:PLH1HKV");
        assertThat(alert(flag, byTitle).get("acknowledgedAt")).isNull();

        // no incident_key in the data: the title's tag names the alert; signed with the old secret during a rotation
        String second = event("incident.acknowledged", null, "URGENT: tenant " + tenant + ": v2 error rate 10% "
                + AlertMessages.pagerDutyTag(byTitle));
        send(second, "v1=" + Hmac.sha256Hex("another", bytes(second)) + ", v1=" + Hmac.sha256Hex(PD_OLD_SECRET,
                bytes(second))).expectStatus().is2xxSuccessful();
        assertThat(alert(flag, byTitle).get("acknowledgedBy")).isEqualTo("pagerduty:PLH1HKV");
        assertThat(audit(flag, "pagerduty:PLH1HKV")).hasSize(2);

        // the same event again (PagerDuty retries): nothing more
        send(second, "v1=" + Hmac.sha256Hex(PD_SECRET, bytes(second))).expectStatus().is2xxSuccessful();
        assertThat(audit(flag, "pagerduty:PLH1HKV")).hasSize(2);
    }

    @Test
    void aBadOrMissingSignatureIs401AndChangesNothing() {
        String flag = createFlag(true);
        long id = raiseAlert(flag, Optional.empty(), "critical");
        String body = event("incident.acknowledged", dedupKey(flag, Optional.empty()), "x");

        send(body, "v1=" + Hmac.sha256Hex("wrong-secret", bytes(body))).expectStatus().isUnauthorized();
        send(body, null).expectStatus().isUnauthorized();
        send(body.replace("PLH1HKV", "PEVE000"), "v1=" + Hmac.sha256Hex(PD_SECRET, bytes(body)))
                .expectStatus().isUnauthorized();
        assertThat(alert(flag, id).get("acknowledgedAt")).isNull();
    }

    @Test
    void otherEventsAndUnknownIncidentsAreAcceptedAndIgnored() {
        String flag = createFlag(true);
        long id = raiseAlert(flag, Optional.empty(), "critical");
        String resolved = event("incident.priority_updated", dedupKey(flag, Optional.empty()), "x");
        send(resolved, "v1=" + Hmac.sha256Hex(PD_SECRET, bytes(resolved))).expectStatus().is2xxSuccessful();
        String unknown = event("incident.acknowledged", "someone-elses-key", "a database alert");
        send(unknown, "v1=" + Hmac.sha256Hex(PD_SECRET, bytes(unknown))).expectStatus().is2xxSuccessful();
        assertThat(alert(flag, id).get("acknowledgedAt")).isNull();
    }

    private WebTestClient.ResponseSpec send(String body, String signature) {
        WebTestClient.RequestBodySpec request = web.post().uri("/pagerduty/webhook")
                .contentType(MediaType.APPLICATION_JSON).header("User-Agent", "PagerDuty-Webhook/V3.0");
        if (signature != null) {
            request = request.header("X-PagerDuty-Signature", signature);
        }
        return request.bodyValue(bytes(body)).exchange();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A v3 webhook payload in the shape of PagerDuty's documentation. */
    private String event(String type, String incidentKey, String title) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", "PGR0VU2");
        data.put("type", "incident");
        data.put("self", "https://api.pagerduty.com/incidents/PGR0VU2");
        data.put("html_url", "https://acme.pagerduty.com/incidents/PGR0VU2");
        data.put("number", 2);
        data.put("status", "acknowledged");
        if (incidentKey != null) {
            data.put("incident_key", incidentKey);
        }
        data.put("title", title);
        data.put("service", Map.of("id", "PF9KMXH", "summary", "Switchboard", "type", "service_reference"));
        data.put("urgency", "high");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "5ac64822-4adc-4fda-ade0-410becf0de4f");
        event.put("event_type", type);
        event.put("resource_type", "incident");
        event.put("occurred_at", "2026-11-22T03:12:22.169Z");
        event.put("agent", Map.of("html_url", "https://acme.pagerduty.com/users/PLH1HKV", "id", "PLH1HKV",
                "self", "https://api.pagerduty.com/users/PLH1HKV", "summary", "Tenex Engineer",
                "type", "user_reference"));
        event.put("client", Map.of("name", "PagerDuty"));
        event.put("data", data);
        return json.writeValueAsString(Map.of("event", event));
    }
}
