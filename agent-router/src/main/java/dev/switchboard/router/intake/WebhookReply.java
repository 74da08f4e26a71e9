package dev.switchboard.router.intake;

/**
 * What goes back to the provider: the backend's answer unchanged, or the router's own problem. {@code variant}
 * is empty when no backend was chosen (a rejected webhook).
 */
record WebhookReply(int status, String contentType, byte[] body, String requestId, String variant) {}
