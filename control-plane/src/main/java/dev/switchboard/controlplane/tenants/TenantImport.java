package dev.switchboard.controlplane.tenants;

import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * Reads a tenant import (JSON array or CSV) into tenants, collecting every bad row instead of stopping at the
 * first, so the caller fixes the file once. CSV columns: {@code id,displayName,tier,monthlyCalls,internal,
 * identifiers} where identifiers is {@code provider:kind:value} separated by {@code ;}.
 */
final class TenantImport {

    static final int MAX_ROWS = 50_000;

    private TenantImport() {
    }

    static List<Tenant> parseJson(JsonMapper json, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInput("body", "json", "must be a JSON array of tenants");
        }
        if (root == null || !root.isArray()) {
            throw new InvalidInput("body", "array", "must be a JSON array of tenants");
        }
        List<Tenant> tenants = new ArrayList<>();
        List<FieldViolation> errors = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            String prefix = "rows[" + i + "].";
            if (!row.isObject()) {
                errors.add(new FieldViolation("rows[" + i + "]", "object", "must be a JSON object"));
                continue;
            }
            List<TenantIdentifier> identifiers = new ArrayList<>();
            JsonNode ids = row.get("identifiers");
            if (ids != null && !ids.isNull()) {
                if (!ids.isArray()) {
                    errors.add(new FieldViolation(prefix + "identifiers", "array", "must be an array"));
                } else {
                    for (JsonNode id : ids) {
                        identifiers.add(new TenantIdentifier(text(id, "provider"), text(id, "kind"), text(id, "value"), null));
                    }
                }
            }
            JsonNode calls = row.get("monthlyCalls");
            int monthlyCalls = 0;
            if (calls != null && !calls.isNull()) {
                if (!calls.isIntegralNumber()) {
                    errors.add(new FieldViolation(prefix + "monthlyCalls", "integer", "must be an integer"));
                } else {
                    monthlyCalls = calls.intValue();
                }
            }
            JsonNode internal = row.get("internal");
            if (internal != null && !internal.isNull() && !internal.isBoolean()) {
                errors.add(new FieldViolation(prefix + "internal", "boolean", "must be true or false"));
            }
            tenants.add(new Tenant(text(row, "id"), text(row, "displayName"), text(row, "tier"), monthlyCalls,
                    internal != null && internal.asBoolean(false), identifiers));
        }
        return validated(tenants, errors);
    }

    static List<Tenant> parseCsv(String body) {
        CsvMapper csv = CsvMapper.builder().build();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Tenant> tenants = new ArrayList<>();
        List<FieldViolation> errors = new ArrayList<>();
        List<Map<String, String>> rows = new ArrayList<>();
        try (var it = csv.readerFor(Map.class).with(schema).<Map<String, String>>readValues(body)) {
            while (it.hasNextValue()) {
                rows.add(it.nextValue());
            }
        } catch (JacksonException e) {
            throw new InvalidInput("body", "csv", "must be CSV with a header line: " + e.getOriginalMessage());
        }
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            String prefix = "rows[" + i + "].";
            int monthlyCalls = 0;
            String calls = row.getOrDefault("monthlyCalls", "");
            if (calls != null && !calls.isBlank()) {
                try {
                    monthlyCalls = Integer.parseInt(calls.trim());
                } catch (NumberFormatException e) {
                    errors.add(new FieldViolation(prefix + "monthlyCalls", "integer", "must be an integer"));
                }
            }
            String internal = row.getOrDefault("internal", "").trim();
            if (!internal.isEmpty() && !internal.equalsIgnoreCase("true") && !internal.equalsIgnoreCase("false")) {
                errors.add(new FieldViolation(prefix + "internal", "boolean", "must be true or false"));
            }
            List<TenantIdentifier> identifiers = new ArrayList<>();
            String list = row.getOrDefault("identifiers", "");
            if (list != null && !list.isBlank()) {
                for (String part : list.split(";")) {
                    String[] pieces = part.trim().split(":", 3);
                    if (pieces.length != 3) {
                        errors.add(new FieldViolation(prefix + "identifiers", "format",
                                "each identifier must be provider:kind:value, got '" + part.trim() + "'"));
                    } else {
                        identifiers.add(new TenantIdentifier(pieces[0], pieces[1], pieces[2], null));
                    }
                }
            }
            tenants.add(new Tenant(blankToNull(row.get("id")), blankToNull(row.get("displayName")),
                    blankToNull(row.get("tier")), monthlyCalls, internal.equalsIgnoreCase("true"), identifiers));
        }
        return validated(tenants, errors);
    }

    private static List<Tenant> validated(List<Tenant> tenants, List<FieldViolation> errors) {
        if (tenants.isEmpty() && errors.isEmpty()) {
            throw new InvalidInput("body", "non-empty", "must contain at least one tenant");
        }
        if (tenants.size() > MAX_ROWS) {
            throw new InvalidInput("body", "max-rows", "must contain at most " + MAX_ROWS + " tenants");
        }
        Map<String, Integer> seenIds = new HashMap<>();
        Map<String, Integer> seenIdentifiers = new HashMap<>();
        for (int i = 0; i < tenants.size(); i++) {
            Tenant t = tenants.get(i);
            String prefix = "rows[" + i + "].";
            errors.addAll(TenantRules.check(prefix, t));
            if (t.id() != null) {
                Integer first = seenIds.putIfAbsent(t.id(), i);
                if (first != null) {
                    errors.add(new FieldViolation(prefix + "id", "unique", "duplicates rows[" + first + "]"));
                }
            }
            for (int j = 0; j < t.identifiers().size(); j++) {
                TenantIdentifier id = t.identifiers().get(j);
                Integer first = seenIdentifiers.putIfAbsent(id.provider() + ":" + id.kind() + ":" + id.value(), i);
                if (first != null && first != i) {
                    errors.add(new FieldViolation(prefix + "identifiers[" + j + "]", "unique",
                            "is also given to rows[" + first + "]"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors.size() > 100 ? errors.subList(0, 100) : errors,
                    Map.of("badRows", errors.size(), "rows", tenants.size()));
        }
        return tenants;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
