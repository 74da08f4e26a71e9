package dev.switchboard.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The answer to a flag change: the flag after it and whether anything changed (the server's header). */
record FlagChange(boolean changed, JsonNode flag) {

    static FlagChange of(ApiClient.Response response) {
        return new FlagChange(!"false".equals(response.header("Switchboard-Changed").orElse("true")),
                response.body());
    }

    /** Prints the result: the JSON document, or a line saying what the flag looks like now. */
    void print(Output out, String done) {
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("changed", changed);
            doc.put("flag", flag);
            out.document(doc);
        } else {
            out.line((changed ? "✓ " + done : "nothing to change (already so)") + " — " + ApiCommand.summary(flag));
        }
    }
}
