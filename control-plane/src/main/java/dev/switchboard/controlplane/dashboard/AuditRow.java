package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.audit.AuditEvent;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One audit event as the audit page shows it: a readable UTC time (the exact instant in the title) and every
 * field the change touched, before → after, in words: on/off, percentage, who joined or left the allow and deny
 * lists, the stage, the guard's policy, anything else by name. Bookkeeping (revision, time, author) is shown as
 * the revision step only.
 */
record AuditRow(AuditEvent event, String when, String exactly, List<String> changes) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> BOOKKEEPING = Set.of("revision", "updatedAt", "updatedBy", "name", "createdAt");

    static AuditRow of(AuditEvent e) {
        var utc = e.at().atZoneSameInstant(java.time.ZoneOffset.UTC);
        return new AuditRow(e, WHEN.format(utc), utc.toInstant().toString(), changes(e.before(), e.after()));
    }

    static List<String> changes(Object before, Object after) {
        List<String> out = new ArrayList<>();
        JsonNode b = before instanceof JsonNode n && n.isObject() ? n : null;
        JsonNode a = after instanceof JsonNode n && n.isObject() ? n : null;
        if (a == null && b == null) {
            return out;
        }
        Set<String> keys = new LinkedHashSet<>();
        if (b != null) {
            keys.addAll(b.propertyNames());
        }
        if (a != null) {
            keys.addAll(a.propertyNames());
        }
        for (String key : keys) {
            if (BOOKKEEPING.contains(key)) {
                continue;
            }
            JsonNode was = b == null ? null : b.get(key);
            JsonNode now = a == null ? null : a.get(key);
            if (was != null && was.equals(now)) {
                continue;
            }
            if (b == null && now != null && (now.isNull() || now.isArray() && now.isEmpty())) {
                continue; // a new record's empty members say nothing
            }
            out.add(describe(key, was, now));
        }
        JsonNode revBefore = b == null ? null : b.get("revision");
        JsonNode revAfter = a == null ? null : a.get("revision");
        if (revAfter != null && (revBefore == null || !revBefore.equals(revAfter))) {
            out.add("rev " + (revBefore == null ? "" : revBefore.asString() + " → ") + revAfter.asString());
        }
        return out;
    }

    private static String describe(String key, JsonNode was, JsonNode now) {
        String label = switch (key) {
            case "enabled" -> "on/off";
            case "allowTenants" -> "allow list";
            case "denyTenants" -> "deny list";
            default -> key;
        };
        if ((was == null || was.isArray()) && (now == null || now.isArray())) {
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            Set<String> before = values(was);
            Set<String> after = values(now);
            after.stream().filter(v -> !before.contains(v)).forEach(added::add);
            before.stream().filter(v -> !after.contains(v)).forEach(removed::add);
            List<String> parts = new ArrayList<>();
            added.forEach(v -> parts.add("+ " + v));
            removed.forEach(v -> parts.add("− " + v));
            return label + ": " + String.join(", ", parts);
        }
        return label + ": " + (was == null ? "" : value(key, was) + " → ") + (now == null ? "(none)" : value(key, now));
    }

    private static Set<String> values(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(v -> out.add(v.isString() ? v.asString() : v.toString()));
        }
        return out;
    }

    private static String value(String key, JsonNode v) {
        if (v.isBoolean() && key.equals("enabled")) {
            return v.asBoolean() ? "on" : "off";
        }
        if (v.isNumber() && key.toLowerCase(java.util.Locale.ROOT).contains("percentage")) {
            return v.asString() + "%";
        }
        if (v.isString()) {
            return v.asString();
        }
        String text = v.toString();
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }
}
