package dev.switchboard.router;

import java.util.Optional;

/** The webhook sources the router accepts; {@code id} is the path segment, metric tag and config key. */
public enum Provider {
    VAPI("vapi", "/webhooks/vapi"),
    TWILIO("twilio", "/webhooks/twilio/voice"),
    RETELL("retell", "/webhooks/retell"),
    GENERIC("generic", "/webhooks/generic");

    private final String id;
    private final String path;

    Provider(String id, String path) {
        this.id = id;
        this.path = path;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public static Optional<Provider> byPath(String path) {
        for (Provider p : values()) {
            if (p.path.equals(path)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
