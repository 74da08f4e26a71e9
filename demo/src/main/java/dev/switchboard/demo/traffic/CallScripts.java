package dev.switchboard.demo.traffic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The events of one whole call, shaped like the providers' real webhooks (see the fixtures): Vapi
 * assistant-request → tool-calls → end-of-call-report; Twilio voice (ringing, then completed); Retell
 * call_inbound.
 */
public final class CallScripts {

    private final JsonMapper json = JsonMapper.builder().build();

    public List<WebhookEvent> vapiCall(DemoTenant tenant, String callId, long nowMillis) {
        ObjectNode request = json.createObjectNode();
        ObjectNode m = request.putObject("message");
        m.put("type", "assistant-request").put("timestamp", nowMillis);
        ObjectNode call = m.putObject("call");
        call.put("id", callId).put("orgId", "org_demo").put("type", "inboundPhoneCall").put("status", "ringing")
                .put("phoneNumberId", tenant.vapiPhoneNumberId());
        call.putObject("customer").put("number", "+14155550100");
        m.putObject("phoneNumber").put("provider", "twilio").put("number", tenant.vapiNumber());
        m.putObject("customer").put("number", "+14155550100");

        ObjectNode tools = json.createObjectNode();
        ObjectNode t = tools.putObject("message");
        t.put("type", "tool-calls").put("timestamp", nowMillis + 1);
        t.putObject("call").put("id", callId).put("phoneNumberId", tenant.vapiPhoneNumberId());
        String toolCallId = "tc_" + callId;
        ObjectNode toolCall = t.putArray("toolCallList").addObject();
        toolCall.put("id", toolCallId).put("name", "createReservation");
        toolCall.putObject("parameters").put("partySize", 4).put("time", "2026-11-22T20:00:00Z");
        ObjectNode with = t.putArray("toolWithToolCallList").addObject();
        with.put("name", "createReservation");
        with.putObject("toolCall").put("id", toolCallId).putObject("parameters");

        ObjectNode report = json.createObjectNode();
        ObjectNode r = report.putObject("message");
        r.put("type", "end-of-call-report").put("timestamp", nowMillis + 2).put("endedReason", "hangup");
        r.putObject("call").put("id", callId).put("phoneNumberId", tenant.vapiPhoneNumberId());
        r.putObject("artifact").put("transcript", "AI: Hola, ¿en qué puedo ayudarle? User: Una mesa para cuatro.");
        r.putObject("analysis");

        return List.of(vapi("assistant-request", request), vapi("tool-calls", tools), vapi("end-of-call-report", report));
    }

    public List<WebhookEvent> twilioCall(DemoTenant tenant, String callSid) {
        return List.of(twilio(tenant, callSid, "ringing"), twilio(tenant, callSid, "completed"));
    }

    public List<WebhookEvent> retellCall(DemoTenant tenant) {
        ObjectNode root = json.createObjectNode();
        root.put("event", "call_inbound");
        root.putObject("call_inbound").put("agent_id", "agent_demo").put("from_number", "+14155550100")
                .put("to_number", tenant.retellNumber());
        return List.of(new WebhookEvent("retell", "call_inbound", "/webhooks/retell", WebhookEvent.JSON,
                root.toString(), Map.of()));
    }

    private WebhookEvent vapi(String type, ObjectNode body) {
        return new WebhookEvent("vapi", type, "/webhooks/vapi", WebhookEvent.JSON, body.toString(), Map.of());
    }

    private static WebhookEvent twilio(DemoTenant tenant, String callSid, String status) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("AccountSid", "AC0000000000000000000000000000000");
        form.put("From", "+14155550100");
        form.put("To", tenant.twilioNumber());
        form.put("CallStatus", status);
        form.put("ApiVersion", "2010-04-01");
        form.put("Direction", "inbound");
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return new WebhookEvent("twilio", "voice", "/webhooks/twilio/voice", WebhookEvent.FORM, body, Map.copyOf(form));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
