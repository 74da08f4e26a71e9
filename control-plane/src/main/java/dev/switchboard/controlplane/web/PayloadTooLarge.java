package dev.switchboard.controlplane.web;

/** A request body went over the limit for its path while it was being read. */
final class PayloadTooLarge extends RuntimeException {

    private final long limit;

    PayloadTooLarge(long limit) {
        super("request body is larger than " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
