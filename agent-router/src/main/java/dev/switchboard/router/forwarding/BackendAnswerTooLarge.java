package dev.switchboard.router.forwarding;

/** A backend answer longer than the router keeps in memory: a backend failure, never a router out-of-memory. */
final class BackendAnswerTooLarge extends RuntimeException {

    BackendAnswerTooLarge(int max) {
        super("backend answer exceeds " + max + " bytes", null, false, false);
    }
}
