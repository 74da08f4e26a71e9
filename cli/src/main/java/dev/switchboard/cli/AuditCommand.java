package dev.switchboard.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code audit}: who changed what, when and why; newest first, paged with {@code --before}. */
@Command(name = "audit", description = "Read the audit log (newest first).")
final class AuditCommand extends ApiCommand {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

    @Option(names = "--flag", paramLabel = "FLAG")
    String flag;

    @Option(names = "--tenant", paramLabel = "TENANT")
    String tenant;

    @Option(names = "--actor", paramLabel = "NAME")
    String actor;

    @Option(names = "--action", paramLabel = "ACTION", description = "e.g. rollback.total")
    String action;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "ISO-8601 time (2026-11-22T10:00:00Z) or an age: 30m, 2h, 7d")
    String since;

    @Option(names = "--before", paramLabel = "ID", description = "events older than this id (the next page)")
    Long before;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "1-500, default 50")
    int limit;

    @Override
    public Integer call() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("flag", flag);
        query.put("tenant", tenant);
        query.put("actor", actor);
        query.put("action", action);
        query.put("since", since == null ? null : since());
        query.put("before", before);
        query.put("limit", limit);
        JsonNode page = api().get("/api/v1/audit", query);
        Output out = output();
        if (out.json()) {
            out.document(page);
            return ExitCodes.DONE;
        }
        if (page.path("items").isEmpty()) {
            out.line("no audit events match");
        } else {
            out.table(page.path("items"), List.of("id", "at", "actor", "action", "flag", "tenantId", "reason"));
        }
        if (page.hasNonNull("nextBefore")) {
            out.note("more: add --before " + page.get("nextBefore").asLong());
        }
        return ExitCodes.DONE;
    }

    private String since() {
        Matcher m = RELATIVE.matcher(since.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Instant.now(root().context().clock()).minus(age).toString();
        }
        try {
            return OffsetDateTime.parse(since.trim()).toString();
        } catch (DateTimeParseException e) {
            throw usage("invalid --since '" + since + "': use an ISO-8601 time such as 2026-11-22T10:00:00Z "
                    + "or an age such as 30m, 2h, 7d");
        }
    }
}
