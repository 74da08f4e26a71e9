package dev.switchboard.router.decision;

/** The two voice-agent versions; lower-case ids are used in headers, metrics and the metrics contract. */
public enum Variant {
    V1("v1"),
    V2("v2");

    private final String id;

    Variant(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
