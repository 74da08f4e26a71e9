package dev.switchboard.router.intake;

/**
 * A caller mistake: mapped to a 4xx problem+json in one place ({@link ProblemResponses}), counted, never
 * forwarded. {@code reason} is the metric tag.
 */
public final class WebhookRejection extends RuntimeException {

    private final int status;
    private final String reason;
    private final String field;

    public WebhookRejection(int status, String reason, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.reason = reason;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String field() {
        return field;
    }

    static WebhookRejection badRequest(String reason, String field, String detail) {
        return new WebhookRejection(400, reason, field, detail);
    }
}
