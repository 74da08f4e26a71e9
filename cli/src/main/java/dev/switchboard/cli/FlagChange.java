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
        print(out, done, null);
    }

    /** Prints the result, then, with --wait, whether every live router confirmed it; the exit code to return. */
    int print(Output out, String done, ConfirmationWait.Result wait) {
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("changed", changed);
            doc.put("flag", flag);
            if (wait != null) {
                doc.put("wait", wait.document());
            }
            out.document(doc);
        } else {
            out.line((changed ? "✓ " + done : "nothing to change (already so)") + " — " + ApiCommand.summary(flag));
            if (wait != null) {
                out.line(wait.line());
            }
        }
        return wait == null || wait.confirmed() ? ExitCodes.DONE : ExitCodes.REFUSED;
    }

    /** Waits for the routers' confirmation of this change's revision when --wait was given. */
    ConfirmationWait.Result awaitIf(WaitOption wait, ApiClient api, String flagPath) {
        if (wait == null || !wait.requested()) {
            return null;
        }
        return new ConfirmationWait(api, flagPath).await(flag.path("revision").asLong(), wait.bound());
    }
}
