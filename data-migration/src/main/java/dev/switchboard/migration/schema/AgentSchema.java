package dev.switchboard.migration.schema;

import dev.switchboard.migration.MigrationException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The voice-agent database's actual column types, checked against {@link ExpectedSchema}. The SQL the migration
 * generates casts to these exact types ({@link #sqlType}), so uuid and text ids both work.
 */
public final class AgentSchema {

    /** One column as the catalog has it: type name (pg_type.typname) and full SQL type (format_type). */
    public record Column(String typeName, String sqlType) {
    }

    private final Map<String, Map<String, Column>> tables;

    private AgentSchema(Map<String, Map<String, Column>> tables) {
        this.tables = tables;
    }

    /** Reads the catalog and throws {@link MigrationException} (SCHEMA_MISMATCH) listing every problem found. */
    public static AgentSchema inspect(Connection connection) throws SQLException {
        Map<String, Map<String, Column>> found = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (var table : ExpectedSchema.COLUMNS.entrySet()) {
            Map<String, Column> columns = columnsOf(connection, table.getKey());
            if (columns.isEmpty()) {
                String role = ExpectedSchema.SOURCE_TABLES.contains(table.getKey())
                        ? "source table" : "target table (created by the v2 schema)";
                problems.add(role + " " + table.getKey() + " is missing");
                continue;
            }
            found.put(table.getKey(), columns);
            String needed = ExpectedSchema.SOURCE_TABLES.contains(table.getKey()) ? "SELECT" : "SELECT,INSERT,UPDATE";
            if (!hasPrivilege(connection, table.getKey(), needed)) {
                problems.add(table.getKey() + " is not readable/writable by this user (needs " + needed + ")");
            }
            table.getValue().forEach((name, kind) -> {
                Column c = columns.get(name);
                if (c == null) {
                    problems.add(table.getKey() + "." + name + " is missing");
                } else if (!kind.accepts(c.typeName())) {
                    problems.add(table.getKey() + "." + name + " has type " + c.sqlType() + ", expected "
                            + kind.describe());
                }
            });
        }
        if (problems.isEmpty()) {
            sameIdType(found, problems);
        }
        if (!problems.isEmpty()) {
            throw new MigrationException(MigrationException.Kind.SCHEMA_MISMATCH,
                    "The voice-agent database does not have the schema the migration expects: "
                            + String.join("; ", problems));
        }
        return new AgentSchema(found);
    }

    /** Ids are joined across tables: they must share one type. */
    private static void sameIdType(Map<String, Map<String, Column>> found, List<String> problems) {
        String businessId = found.get(ExpectedSchema.BUSINESSES).get("id").typeName();
        for (String[] ref : new String[][] {
                {ExpectedSchema.CONFIGS_V1, "business_id"}, {ExpectedSchema.CALLS, "business_id"},
                {ExpectedSchema.CONFIGS_V2, "business_id"}, {ExpectedSchema.METRICS, "business_id"}}) {
            String t = found.get(ref[0]).get(ref[1]).typeName();
            if (!t.equals(businessId)) {
                problems.add(ref[0] + "." + ref[1] + " has type " + t + " but businesses.id is " + businessId);
            }
        }
        String v1 = found.get(ExpectedSchema.CONFIGS_V1).get("id").typeName();
        String v2 = found.get(ExpectedSchema.CONFIGS_V2).get("id").typeName();
        if (!v1.equals(v2)) {
            problems.add("voice_assistant_configs.id has type " + v2 + " but voice_agent_config.id is " + v1
                    + " (v2 keeps the v1 id)");
        }
    }

    private static boolean hasPrivilege(Connection connection, String table, String privileges)
            throws SQLException {
        // has_table_privilege is true when ANY listed privilege is held: ask for each one
        for (String privilege : privileges.split(",")) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT has_table_privilege(to_regclass(?), ?)")) {
                ps.setString(1, table);
                ps.setString(2, privilege);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Columns of a table on the search path, in column order; empty when there is no such table. */
    public static Map<String, Column> columnsOf(Connection connection, String table) throws SQLException {
        Map<String, Column> columns = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod)
                FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new Column(rs.getString(2), rs.getString(3)));
                }
            }
        }
        return columns;
    }

    public String sqlType(String table, String column) {
        return tables.get(table).get(column).sqlType();
    }

    /** The SQL type of ids (businesses.id; the other ids are checked to share it where they are joined). */
    public String businessIdType() {
        return sqlType(ExpectedSchema.BUSINESSES, "id");
    }

    public boolean businessIdIsUuid() {
        return tables.get(ExpectedSchema.BUSINESSES).get("id").typeName().equals("uuid");
    }
}
