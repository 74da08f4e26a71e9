package dev.switchboard.router.forwarding;

/** A backend 5xx, turned into an error so the circuit breaker counts it; the answer is kept for pass-through. */
final class BackendFailure extends RuntimeException {

    private final int status;
    private final String contentType;
    private final byte[] body;

    BackendFailure(int status, String contentType, byte[] body) {
        super("backend answered " + status, null, false, false);
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body;
    }
}
