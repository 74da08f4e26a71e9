package dev.switchboard.demo.agent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a real voice agent answers on each provider path, in the provider's own terms: a Vapi assistant for
 * {@code assistant-request}, tool results for {@code tool-calls}, TwiML for Twilio, an agent override for
 * Retell's inbound call. The variant shows in the answer so a human can tell which agent spoke.
 */
public final class AgentAnswers {

    private final String variant;
    private final JsonMapper json = JsonMapper.builder().build();

    public AgentAnswers(String variant) {
        this.variant = variant;
    }

    public AgentReply answer(String path, String body) {
        if (path.contains("/twilio")) {
            return twilio(body);
        }
        JsonNode root;
        try {
            root = json.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JacksonException e) {
            return AgentReply.json(400, "{\"error\":\"body is not valid JSON\"}");
        }
        if (path.contains("/vapi")) {
            return vapi(root.path("message"));
        }
        if (path.contains("/retell")) {
            return retell(root);
        }
        ObjectNode ok = json.createObjectNode().put("ok", true).put("variant", variant);
        return AgentReply.json(200, ok.toString());
    }

    private AgentReply vapi(JsonNode message) {
        String type = message.path("type").asString("");
        return switch (type) {
            case "assistant-request" -> AgentReply.json(200, assistant().toString());
            case "tool-calls" -> AgentReply.json(200, toolResults(message).toString());
            case "" -> AgentReply.json(400, "{\"error\":\"message.type is required\"}");
            // end-of-call-report, status-update, transcript, hang ...: fire-and-forget, any 2xx
            default -> AgentReply.json(200, "{}");
        };
    }

    private ObjectNode assistant() {
        ObjectNode root = json.createObjectNode();
        ObjectNode assistant = root.putObject("assistant");
        assistant.put("name", "Reservations agent " + variant);
        assistant.put("firstMessage", "Hola, gracias por llamar. ¿En qué puedo ayudarle?");
        ObjectNode model = assistant.putObject("model");
        model.put("provider", "openai");
        model.put("model", "v2".equals(variant) ? "gpt-4o" : "gpt-4o-mini");
        model.putArray("messages").addObject().put("role", "system")
                .put("content", "You take restaurant reservations. Agent " + variant + ".");
        assistant.putObject("voice").put("provider", "11labs").put("voiceId", "elevenlabs-maria");
        assistant.putObject("metadata").put("variant", variant);
        return root;
    }

    private ObjectNode toolResults(JsonNode message) {
        ObjectNode root = json.createObjectNode();
        ArrayNode results = root.putArray("results");
        for (JsonNode call : message.path("toolCallList")) {
            results.addObject()
                    .put("name", call.path("name").asString(call.path("function").path("name").asString("")))
                    .put("toolCallId", call.path("id").asString(""))
                    .put("result", "{\"status\":\"confirmed\"}");
        }
        return root;
    }

    private AgentReply retell(JsonNode root) {
        if ("call_inbound".equals(root.path("event").asString(""))) {
            ObjectNode answer = json.createObjectNode();
            ObjectNode inbound = answer.putObject("call_inbound");
            inbound.put("override_agent_id", "agent_" + variant + "_demo");
            inbound.putObject("dynamic_variables").put("variant", variant);
            return AgentReply.json(200, answer.toString());
        }
        return new AgentReply(204, AgentReply.JSON, "");
    }

    private AgentReply twilio(String body) {
        Map<String, String> form = form(body);
        if (!form.containsKey("CallSid")) {
            return new AgentReply(400, AgentReply.XML,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject/></Response>");
        }
        String status = form.getOrDefault("CallStatus", "ringing");
        String twiml = switch (status) {
            case "completed", "failed", "busy", "no-answer", "canceled" -> "<Response/>";
            default -> "<Response><Say language=\"es-MX\">Hola, gracias por llamar. Agente " + variant
                    + ".</Say><Connect><Stream url=\"wss://agent-" + variant + ".demo.invalid/stream\"/></Connect></Response>";
        };
        return new AgentReply(200, AgentReply.XML, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + twiml);
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }
}
