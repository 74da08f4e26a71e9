package dev.switchboard.router.intake;

/**
 * What goes back to the provider: the backend's answer unchanged, or the router's own problem. {@code variant}
 * is empty when no backend was chosen (a rejected webhook); {@code close}: the connection is closed after it (framing that cannot be trusted).
 */
record WebhookReply(int status, String contentType, byte[] body, String requestId, String variant, boolean close) {

    WebhookReply(int status, String contentType, byte[] body, String requestId, String variant) {
        this(status, contentType, body, requestId, variant, false);
    }
}
