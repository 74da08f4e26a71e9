package dev.switchboard.migration.steps;

import dev.switchboard.migration.backup.Bookkeeping;
import dev.switchboard.migration.schema.AgentSchema;
import dev.switchboard.migration.schema.ExpectedSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 5, inside the migration's transaction (so a failure rolls back exactly this run's writes): every config in
 * scope has its v2 row, every row this run wrote is there with all required fields, every business in scope with
 * calls has its metrics row.
 */
public final class Verification {

    /** Required in v2: a NULL here would break the v2 agent (the legacy script checked assistant_type_id, voice_id). */
    static final List<String> REQUIRED = List.of("business_id", "assistant_type_id", "voice_id", "voice_speed",
            "personality_type", "enabled_capabilities", "template_version", "is_active");

    public List<String> run(Connection connection, AgentSchema schema, TenantScope scope, List<String> writtenIds)
            throws SQLException {
        List<String> errors = new ArrayList<>();
        long source = count(connection, "SELECT count(*) FROM voice_agent_config c WHERE true"
                + scope.filter("c.business_id"), scope);
        long target = count(connection, "SELECT count(*) FROM voice_agent_config c JOIN voice_assistant_configs t"
                + " ON t.id = c.id WHERE true" + scope.filter("c.business_id"), scope);
        if (source != target) {
            errors.add("Count mismatch for the migrated scope: voice_agent_config=" + source
                    + ", voice_assistant_configs=" + target);
        }
        String idArray = "CAST(? AS " + schema.sqlType(ExpectedSchema.CONFIGS_V2, "id") + "[])";
        StringBuilder nulls = new StringBuilder("SELECT t.id::text");
        for (String column : REQUIRED) {
            nulls.append(", t.").append(column).append(" IS NULL");
        }
        nulls.append(" FROM voice_assistant_configs t WHERE t.id = ANY(").append(idArray).append(") AND (")
                .append(String.join(" OR ", REQUIRED.stream().map(c -> "t." + c + " IS NULL").toList()))
                .append(") ORDER BY t.id");
        try (PreparedStatement ps = connection.prepareStatement(nulls.toString())) {
            ps.setArray(1, connection.createArrayOf("text", writtenIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> missing = new ArrayList<>();
                    for (int i = 0; i < REQUIRED.size(); i++) {
                        if (rs.getBoolean(i + 2)) {
                            missing.add(REQUIRED.get(i));
                        }
                    }
                    errors.add("Config " + rs.getString(1) + ": required field" + (missing.size() > 1 ? "s" : "")
                            + " null: " + String.join(", ", missing));
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM voice_assistant_configs t"
                + " WHERE t.id = ANY(" + idArray + ")")) {
            ps.setArray(1, connection.createArrayOf("text", writtenIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != writtenIds.size()) {
                    errors.add("Written configs missing afterwards: wrote " + writtenIds.size() + ", found "
                            + rs.getLong(1));
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT b.business_id::text FROM"
                + " (SELECT DISTINCT vc.business_id FROM voice_calls vc WHERE vc.business_id IS NOT NULL"
                + scope.filter("vc.business_id") + ") b WHERE NOT EXISTS (SELECT 1 FROM "
                + Bookkeeping.MIGRATED_METRICS + " k JOIN voice_assistant_metrics m ON m.id::text = k.metrics_id"
                + " WHERE k.business_id = b.business_id::text) ORDER BY 1")) {
            scope.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    errors.add("Business " + rs.getString(1) + ": no metrics row in voice_assistant_metrics");
                }
            }
        }
        return errors;
    }

    private static long count(Connection connection, String sql, TenantScope scope) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            scope.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
