package dev.switchboard.router.signatures;

/** Case-insensitive header lookup, so the verifiers do not depend on Spring types. */
@FunctionalInterface
public interface WebhookHeaders {
    String first(String name);
}
