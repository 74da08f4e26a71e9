package dev.switchboard.router.intake;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The one place where router errors become HTTP: RFC 9457 problem+json naming the field and the rule. */
@Component
class ProblemResponses {

    static final String PROBLEM_TYPE = "application/problem+json";

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    WebhookReply of(WebhookRejection rejection, String requestId) {
        WebhookReply reply = of(rejection.status(), rejection.reason(), rejection.field(), rejection.getMessage(), requestId);
        // after a refused framing the next bytes on the connection cannot be trusted. An oversize body with a valid
        // declared length is not a reason: the codec knows where it ends and discards it (bounded by the read
        // timeout), and closing at once would reset the connection before the caller has read the 413.
        boolean close = "invalid_framing".equals(rejection.reason());
        return close ? new WebhookReply(reply.status(), reply.contentType(), reply.body(), requestId, null, true) : reply;
    }

    WebhookReply of(int status, String reason, String field, String detail, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://switchboard.dev/problems/" + reason.replace('_', '-'));
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        body.put("rule", reason);
        body.put("requestId", requestId);
        return new WebhookReply(status, PROBLEM_TYPE, json.writeValueAsBytes(body), requestId, null);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
