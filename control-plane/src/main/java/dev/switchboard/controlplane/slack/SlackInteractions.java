package dev.switchboard.controlplane.slack;

import dev.switchboard.controlplane.alerts.AlertMessages;
import dev.switchboard.controlplane.alerts.AlertStore;
import dev.switchboard.controlplane.alerts.AlertView;
import dev.switchboard.controlplane.alerts.StoredAlertBoard;
import dev.switchboard.controlplane.errors.SwitchboardException;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.ChangeOutcome;
import dev.switchboard.controlplane.flags.FlagChanges;
import dev.switchboard.controlplane.flags.FlagCommand;
import dev.switchboard.controlplane.flags.OverrideMode;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A button pressed on a Switchboard message in Slack, after its signature was verified: who pressed it (their
 * Slack user id mapped to a role by configuration), which alert, what to do. Changes go through the same
 * service as the API ({@link FlagChanges}, {@link StoredAlertBoard}): one transaction, audited with the actor
 * {@code slack:<user id>} and the alert as the reason. Then the original message is updated ("rolled back by
 * @x at 03:12 UTC") and the presser is told when something was refused. Slack wants its answer within 3
 * seconds, so the replies to Slack run after the answer.
 */
@Service
class SlackInteractions {

    private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** What one press came to: the line added to the message, and which buttons go away. */
    private record Done(String line, boolean removeRollbacks, boolean removeAck) {
    }

    private final SlackProperties properties;
    private final AlertStore alerts;
    private final StoredAlertBoard board;
    private final FlagChanges changes;
    private final SlackReplies replies;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    SlackInteractions(SlackProperties properties, AlertStore alerts, StoredAlertBoard board, FlagChanges changes,
                      SlackReplies replies, JsonMapper json) {
        this.properties = properties;
        this.alerts = alerts;
        this.board = board;
        this.changes = changes;
        this.replies = replies;
        this.json = json;
    }

    SlackSignature signature() {
        return new SlackSignature(properties.signingSecret(), properties.maxAge());
    }

    /** Handles a verified request body ({@code payload=<json>}); completes when the change (if any) is made. */
    Mono<Void> handle(byte[] body, Optional<String> requestId) {
        JsonNode payload;
        try {
            payload = json.readTree(payloadOf(body));
        } catch (JacksonException | IllegalArgumentException e) {
            LOG.info("Slack interaction without a readable payload ignored");
            return Mono.empty();
        }
        if (!"block_actions".equals(payload.path("type").asString())) {
            return Mono.empty();
        }
        String user = payload.path("user").path("id").asString();
        String channel = text(payload.path("channel").path("id"));
        String ts = Optional.ofNullable(text(payload.path("container").path("message_ts")))
                .orElse(text(payload.path("message").path("ts")));
        String responseUrl = text(payload.path("response_url"));
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asString();
        if (AlertMessages.ACTION_OPEN_DASHBOARD.equals(actionId) || actionId.isEmpty()) {
            return Mono.empty(); // a link button: Slack opened the page, nothing to do here
        }
        Optional<Role> role = properties.role(user);
        if (role.isEmpty() || !role.get().atLeast(Role.OPERATOR)) {
            LOG.info("Slack user {} pressed {} but holds no operator role in switchboard.slack.users", user, actionId);
            return later(replies.ephemeral(channel, user, responseUrl, ":no_entry: You are not allowed to do this "
                    + "in Switchboard (your Slack user " + user + " has no operator role). Nothing was changed."));
        }
        long alertId;
        try {
            alertId = Long.parseLong(action.path("value").asString());
        } catch (NumberFormatException e) {
            return later(replies.ephemeral(channel, user, responseUrl, "This button names no Switchboard alert."));
        }
        Caller caller = new Caller("slack:" + user, role.get());
        JsonNode message = payload.path("message");
        return alerts.find(alertId)
                .switchIfEmpty(Mono.error(() -> new SlackRefusal("alert #" + alertId + " does not exist")))
                .flatMap(alert -> act(actionId, alert, caller, requestId)
                        .flatMap(done -> later(replies.update(channel, ts, responseUrl,
                                message.path("text").asString(""), updatedBlocks(message, done, user)))))
                .onErrorResume(SwitchboardException.class, e -> later(replies.ephemeral(channel, user, responseUrl,
                        ":warning: Switchboard refused: " + e.getMessage())))
                .onErrorResume(SlackRefusal.class, e -> later(replies.ephemeral(channel, user, responseUrl,
                        ":warning: " + e.getMessage())));
    }

    private Mono<Done> act(String actionId, AlertView alert, Caller caller, Optional<String> requestId) {
        String reason = "Slack: alert #" + alert.id() + " " + alert.rule() + " (" + alert.flag()
                + alert.tenantId().map(t -> ", tenant " + t).orElse("") + ")";
        ChangeContext context = new ChangeContext(caller, reason, Optional.empty(), requestId);
        String who = "<@" + caller.name().substring("slack:".length()) + ">";
        String at = TIME.format(clock.instant());
        return switch (actionId) {
            case AlertMessages.ACTION_ACK -> board.acknowledge(alert.id(), caller, requestId.orElse(null))
                    .thenReturn(new Done(":eyes: Acknowledged by " + who + " at " + at, false, true));
            case AlertMessages.ACTION_ROLLBACK_TENANT -> {
                if (alert.tenantId().isEmpty()) {
                    yield Mono.error(new SlackRefusal("alert #" + alert.id() + " is not about one tenant"));
                }
                String tenant = alert.tenantId().get();
                yield changes.apply(alert.flag(), new FlagCommand.SetOverride(tenant, Optional.of(OverrideMode.DENY),
                        "rollback.tenant"), context).map(o -> new Done(":leftwards_arrow_with_hook: Tenant " + tenant
                        + " rolled back to v1 by " + who + " at " + at + note(o), true, false));
            }
            case AlertMessages.ACTION_ROLLBACK_PARTIAL -> changes.apply(alert.flag(),
                    new FlagCommand.PartialRollback(0), context).map(o -> new Done(":leftwards_arrow_with_hook: "
                    + alert.flag() + " rolled back to 0 % by " + who + " at " + at + note(o), true, false));
            case AlertMessages.ACTION_ROLLBACK_TOTAL -> changes.apply(alert.flag(), new FlagCommand.TotalRollback(),
                    context).map(o -> new Done(":leftwards_arrow_with_hook: Total rollback of " + alert.flag()
                    + " by " + who + " at " + at + note(o), true, false));
            default -> Mono.error(new SlackRefusal("unknown button " + actionId));
        };
    }

    private static String note(ChangeOutcome outcome) {
        return outcome.changed() ? " (revision " + outcome.flag().revision() + ")" : " (it already was)";
    }

    /** The message as it was, minus the buttons that no longer apply, plus a line saying who did what. */
    private List<Object> updatedBlocks(JsonNode message, Done done, String user) {
        List<Object> blocks = new ArrayList<>();
        for (JsonNode block : message.path("blocks")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> b = json.convertValue(block, Map.class);
            if ("actions".equals(b.get("type")) && b.get("elements") instanceof List<?> elements) {
                List<Object> kept = new ArrayList<>();
                for (Object element : elements) {
                    String id = element instanceof Map<?, ?> m ? String.valueOf(m.get("action_id")) : "";
                    boolean rollback = id.startsWith("switchboard_rollback");
                    boolean ack = id.equals(AlertMessages.ACTION_ACK);
                    if (!(rollback && done.removeRollbacks()) && !(ack && done.removeAck())) {
                        kept.add(element);
                    }
                }
                b = new java.util.LinkedHashMap<>(b);
                b.put("elements", kept);
                b.remove("block_id");
                if (kept.isEmpty()) {
                    continue;
                }
            }
            blocks.add(b);
        }
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", done.line()))));
        return blocks;
    }

    /** Replies to Slack go out after the HTTP answer (Slack's 3-second rule); they never fail the press. */
    private static Mono<Void> later(Mono<Void> reply) {
        reply.subscribeOn(Schedulers.boundedElastic()).subscribe();
        return Mono.empty();
    }

    private static String payloadOf(byte[] body) {
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no payload");
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.asString().isEmpty() ? node.asString() : null;
    }

    /** A press that cannot be carried out, told to the presser. */
    private static final class SlackRefusal extends RuntimeException {
        SlackRefusal(String message) {
            super(message, null, false, false);
        }
    }
}
