package dev.switchboard.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Waits until every live router confirmed that it decides FLAG with revision REVISION or a later one, polling the
 * flag API's {@code confirmation}. The answer says how long after the change the last router switched, or which
 * routers did not confirm in time and what they still decide with.
 */
final class ConfirmationWait {

    /** The outcome: confirmed or not, and a document describing it. */
    record Result(boolean confirmed, String line, Map<String, Object> document) {
    }

    private final ApiClient api;
    private final String path;

    ConfirmationWait(ApiClient api, String flagPath) {
        this.api = api;
        this.path = flagPath;
    }

    Result await(long revision, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        long pause = 50;
        while (true) {
            JsonNode flag = api.get(path);
            Result result = judge(flag, revision, false);
            if (result.confirmed() || System.nanoTime() >= deadline) {
                return result.confirmed() ? result : judge(flag, revision, true);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return judge(flag, revision, true);
            }
            pause = Math.min(250, pause * 2);
        }
    }

    /** Pure: whether the flag's confirmation shows every live router at {@code revision} or later. */
    static Result judge(JsonNode flag, long revision, boolean final_) {
        JsonNode c = flag.path("confirmation");
        JsonNode routers = c.path("routerStates");
        List<String> pending = new ArrayList<>();
        List<String> pendingText = new ArrayList<>();
        int confirmed = 0;
        for (JsonNode r : routers) {
            if (r.path("revision").asLong() >= revision) {
                confirmed++;
            } else {
                pending.add(r.path("routerId").asString());
                pendingText.add(r.path("routerId").asString() + " (revision " + r.path("revision").asLong()
                        + (r.path("silent").asBoolean() ? ", silent since " + r.path("lastSeen").asString() : "") + ")");
            }
        }
        int total = routers.size();
        boolean ok = total > 0 && pending.isEmpty();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("revision", revision);
        doc.put("confirmed", ok);
        doc.put("confirmedBy", confirmed + "/" + total);
        doc.put("pending", pending);
        String line;
        if (ok) {
            boolean same = c.path("revision").asLong() == revision;
            JsonNode delay = c.path("slowestDelayMs");
            if (same && delay.isNumber()) {
                doc.put("slowestRouter", c.path("slowestRouter").asString());
                doc.put("slowestDelayMs", delay.asDouble());
                line = String.format(Locale.ROOT, "✓ effective on %d/%d routers, %.1f ms after the change (slowest: %s)",
                        confirmed, total, delay.asDouble(), c.path("slowestRouter").asString());
            } else {
                line = "✓ effective on " + confirmed + "/" + total + " routers (the flag has moved on to revision "
                        + c.path("revision").asLong() + " since)";
            }
        } else if (total == 0) {
            line = "✗ no live router has confirmed any revision of " + flag.path("name").asString()
                    + ": cannot tell whether the change is in effect";
        } else {
            line = "✗ not confirmed " + (final_ ? "in time" : "yet") + ": " + confirmed + "/" + total
                    + " routers decide with revision " + revision + "; not confirmed: " + String.join(", ", pendingText);
        }
        return new Result(ok, line, doc);
    }
}
