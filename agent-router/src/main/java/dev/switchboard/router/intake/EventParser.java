package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.tenants.Identifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the provider fields the router needs; runs only after the signature check passed. */
@Component
public class EventParser {

    private final JsonMapper json;
    private final RouterProperties.Generic generic;

    public EventParser(JsonMapper json, RouterProperties properties) {
        this.json = json;
        this.generic = properties.generic();
    }

    public ParsedEvent parse(Provider provider, byte[] body, Map<String, List<String>> form, HeaderLookup headers) {
        return switch (provider) {
            case VAPI -> vapi(readJson(body));
            case RETELL -> retell(readJson(body));
            case TWILIO -> twilio(form, headers);
            case GENERIC -> generic(readJson(body), headers);
        };
    }

    /** Header access without Spring types. */
    @FunctionalInterface
    public interface HeaderLookup {
        String first(String name);
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw WebhookRejection.badRequest("malformed_json", "body", "body must be a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw WebhookRejection.badRequest("malformed_json", "body", "body is not valid JSON");
        }
    }

    private ParsedEvent vapi(JsonNode root) {
        JsonNode message = root.path("message");
        if (!message.isObject()) {
            throw WebhookRejection.badRequest("missing_field", "message", "message is required and must be an object");
        }
        String type = text(message.path("type"))
                .orElseThrow(() -> WebhookRejection.badRequest("missing_field", "message.type", "message.type is required"));
        JsonNode call = message.path("call");
        Optional<String> callId = text(call.path("id"));
        List<Identifier> ids = new ArrayList<>();
        text(call.path("phoneNumberId")).ifPresent(v -> ids.add(new Identifier("vapi", "phone_number_id", v)));
        text(message.path("phoneNumber").path("number")).ifPresent(v -> ids.add(new Identifier("vapi", "number", v)));
        text(call.path("assistantId")).ifPresent(v -> ids.add(new Identifier("vapi", "assistant_id", v)));
        text(call.path("orgId")).ifPresent(v -> ids.add(new Identifier("vapi", "org_id", v)));
        Optional<String> timestamp = text(message.path("timestamp"));
        Optional<String> retryKey = callId.flatMap(c -> timestamp.map(ts -> "vapi|" + c + "|" + type + "|" + ts));
        boolean ends = type.equals("end-of-call-report")
                || (type.equals("status-update") && "ended".equals(message.path("status").asString("")));
        return new ParsedEvent(Provider.VAPI, type, callId, retryKey, ids, Optional.empty(), ends);
    }

    private ParsedEvent retell(JsonNode root) {
        String event = text(root.path("event"))
                .orElseThrow(() -> WebhookRejection.badRequest("missing_field", "event", "event is required"));
        List<Identifier> ids = new ArrayList<>();
        Optional<String> callId;
        if (event.equals("call_inbound")) {
            JsonNode inbound = root.path("call_inbound");
            if (!inbound.isObject()) {
                throw WebhookRejection.badRequest("missing_field", "call_inbound", "call_inbound is required for event call_inbound");
            }
            text(inbound.path("to_number")).ifPresent(v -> ids.add(new Identifier("retell", "number", v)));
            text(inbound.path("agent_id")).ifPresent(v -> ids.add(new Identifier("retell", "agent_id", v)));
            callId = Optional.empty();
        } else {
            JsonNode call = root.path("call");
            callId = text(call.path("call_id"));
            if (callId.isEmpty()) {
                throw WebhookRejection.badRequest("missing_field", "call.call_id", "call.call_id is required for event " + event);
            }
            text(call.path("agent_id")).ifPresent(v -> ids.add(new Identifier("retell", "agent_id", v)));
            text(call.path("to_number")).ifPresent(v -> ids.add(new Identifier("retell", "number", v)));
        }
        Optional<String> retryKey = callId.map(c -> "retell|" + c + "|" + event);
        boolean ends = event.equals("call_ended") || event.equals("call_analyzed");
        return new ParsedEvent(Provider.RETELL, event, callId, retryKey, ids, Optional.empty(), ends);
    }

    private ParsedEvent twilio(Map<String, List<String>> form, HeaderLookup headers) {
        String callSid = first(form, "CallSid")
                .orElseThrow(() -> WebhookRejection.badRequest("missing_field", "CallSid", "CallSid is required"));
        List<Identifier> ids = new ArrayList<>();
        first(form, "To").ifPresent(v -> ids.add(new Identifier("twilio", "number", v)));
        String status = first(form, "CallStatus").orElse("");
        // Twilio marks its own retries with the same idempotency token.
        Optional<String> retryKey = Optional.ofNullable(headers.first("i-twilio-idempotency-token"))
                .map(t -> "twilio|token|" + t)
                .or(() -> Optional.of("twilio|" + callSid + "|voice|" + status));
        boolean ends = status.equals("completed") || status.equals("failed") || status.equals("busy")
                || status.equals("no-answer") || status.equals("canceled");
        return new ParsedEvent(Provider.TWILIO, "voice", Optional.of(callSid), retryKey, ids, Optional.empty(), ends);
    }

    private ParsedEvent generic(JsonNode root, HeaderLookup headers) {
        Optional<String> tenant = Optional.ofNullable(headers.first(generic.tenantHeader())).map(String::trim).filter(s -> !s.isEmpty());
        if (tenant.isEmpty() && generic.tenantPointer() != null && !generic.tenantPointer().isBlank()) {
            tenant = text(root.at(generic.tenantPointer()));
        }
        if (tenant.isEmpty()) {
            throw WebhookRejection.badRequest("missing_field", generic.tenantHeader(),
                    "tenant is required: header " + generic.tenantHeader()
                            + (generic.tenantPointer() == null ? "" : " or JSON field " + generic.tenantPointer()));
        }
        String type = text(root.at(generic.eventTypePointer())).orElse("event");
        Optional<String> callId = text(root.at(generic.callIdPointer()));
        // Without a message id, the signature itself is the delivery's identity (it covers timestamp, tenant and
        // body): a provider retry or a replay inside the window is answered from the first delivery, not forwarded.
        Optional<String> retryKey = text(root.at(generic.messageIdPointer())).map(id -> "id|" + id)
                .or(() -> Optional.ofNullable(headers.first("x-signature-256")).map(s -> "sig|" + s.trim().toLowerCase()));
        boolean ends = type.equals("call-ended") || type.equals("end-of-call-report");
        return new ParsedEvent(Provider.GENERIC, type, callId, retryKey, List.of(), tenant, ends);
    }

    private static Optional<String> text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer()) {
            return Optional.empty();
        }
        String s = node.asString("");
        return s.isBlank() || s.length() > 512 ? Optional.empty() : Optional.of(s);
    }

    private static Optional<String> first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }
}
