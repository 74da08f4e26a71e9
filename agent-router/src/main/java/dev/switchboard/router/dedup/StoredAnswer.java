package dev.switchboard.router.dedup;

/** What went back to the provider, kept so a provider retry gets the very same answer. */
public record StoredAnswer(int status, String contentType, byte[] body, String variant, String tenant) {}
