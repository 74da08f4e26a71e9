package dev.switchboard.router.intake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where router errors become HTTP: RFC 9457 problem+json naming the field and the rule, for refusals
 * of the webhook pipeline ({@link #of}) and for those made on the raw bytes before the HTTP codec ({@link #rawAnswer}).
 */
@Component
public class ProblemResponses {

    static final String PROBLEM_TYPE = "application/problem+json";
    private static final JsonMapper RAW = JsonMapper.builder().build();

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
        Map<String, Object> body = body(status, reason, field, detail);
        body.put("requestId", requestId);
        return new WebhookReply(status, PROBLEM_TYPE, json.writeValueAsBytes(body), requestId, null);
    }

    /**
     * A whole HTTP/1.1 answer (status line, headers, problem+json body) that closes the connection, for a refusal made
     * on the raw bytes before the HTTP codec, where there is no request (and no request id) yet.
     */
    public static byte[] rawAnswer(int status, String reason, String field, String detail) {
        byte[] body = json(status, reason, field, detail);
        byte[] head = ("HTTP/1.1 " + status + " " + title(status) + "\r\nContent-Type: " + PROBLEM_TYPE
                + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] answer = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
        return answer;
    }

    /** The problem+json body alone, for an answer that is kept and replayed (a retry gets the same bytes). */
    static byte[] json(int status, String reason, String field, String detail) {
        return RAW.writeValueAsBytes(body(status, reason, field, detail));
    }

    private static Map<String, Object> body(int status, String reason, String field, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://switchboard.dev/problems/" + reason.replace('_', '-'));
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        body.put("rule", reason);
        return body;
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }
}
