package dev.switchboard.controlplane.pagerduty;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.alerts.StoredAlertBoard;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import dev.switchboard.controlplane.web.Hmac;
import dev.switchboard.controlplane.web.RequestIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /pagerduty/webhook}, a PagerDuty v3 webhook subscription: when the incident of a Switchboard
 * alert is acknowledged in PagerDuty, the alert is acknowledged here too (the other way round already exists:
 * acknowledging here acknowledges the incident). The {@code X-PagerDuty-Signature} header ({@code v1=<hex
 * HMAC-SHA256 of the body>}, several during a secret rotation) is checked before the body is parsed; a bad or
 * missing one is a 401. The incident is traced to its alert by its dedup key ({@code incident_key}) or by the
 * {@code [switchboard alert #N]} tag in its title. Other events and unknown incidents are answered 202 and
 * ignored, so PagerDuty does not retry them.
 */
@RestController
class PagerDutyWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(PagerDutyWebhook.class);
    private static final Pattern TAG = Pattern.compile("\\[switchboard alert #(\\d{1,18})]");
    private static final int MAX_BODY = 256 * 1024;

    private final PagerDutyWebhookProperties properties;
    private final StoredAlertBoard board;
    private final AlertStore alerts;
    private final JsonMapper json;

    PagerDutyWebhook(PagerDutyWebhookProperties properties, StoredAlertBoard board, AlertStore alerts, JsonMapper json) {
        this.properties = properties;
        this.board = board;
        this.alerts = alerts;
        this.json = json;
    }

    @PostMapping("/pagerduty/webhook")
    Mono<ResponseEntity<Void>> receive(ServerWebExchange exchange) {
        String signatures = exchange.getRequest().getHeaders().getFirst("X-PagerDuty-Signature");
        if (properties.webhookSecrets().isEmpty() || signatures == null || !signatures.contains("v1=")) {
            return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).build());
        }
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    if (!signed(body, signatures)) {
                        return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).<Void>build());
                    }
                    return handle(body, RequestIds.of(exchange)).thenReturn(ResponseEntity.accepted().<Void>build());
                });
    }

    private boolean signed(byte[] body, String header) {
        for (String secret : properties.webhookSecrets()) {
            String expected = "v1=" + Hmac.sha256Hex(secret, body);
            for (String given : header.split(",")) {
                if (Hmac.constantTimeEquals(expected, given.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    private Mono<Void> handle(byte[] body, Optional<String> requestId) {
        JsonNode event;
        try {
            event = json.readTree(body).path("event");
        } catch (JacksonException e) {
            LOG.info("PagerDuty webhook with a body that is not JSON ignored");
            return Mono.empty();
        }
        if (!"incident.acknowledged".equals(event.path("event_type").asString())) {
            return Mono.empty();
        }
        JsonNode incident = event.path("data");
        String agent = event.path("agent").path("id").asString("");
        Caller caller = new Caller("pagerduty:" + (agent.isBlank() ? "unknown" : agent), Role.OPERATOR);
        return alertOf(incident)
                .flatMap(id -> board.acknowledge(id, caller, requestId.orElse(null)))
                .doOnNext(alert -> LOG.info("alert #{} acknowledged in PagerDuty by {}", alert.id(), caller.name()))
                .switchIfEmpty(Mono.fromRunnable(() -> LOG.info("PagerDuty acknowledged incident {}, which is no "
                        + "Switchboard alert", incident.path("id").asString(""))))
                .then();
    }

    private Mono<Long> alertOf(JsonNode incident) {
        Matcher tag = TAG.matcher(incident.path("title").asString(""));
        return alerts.idForIncident(incident.path("incident_key").asString(""),
                tag.find() ? Optional.of(Long.parseLong(tag.group(1))) : Optional.empty());
    }

    /** For tests and the runbook: the tag the incident title carries. */
    static String tag(long alertId) {
        return AlertMessages.pagerDutyTag(alertId);
    }
}
