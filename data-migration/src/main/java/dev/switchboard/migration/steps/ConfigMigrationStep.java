package dev.switchboard.migration.steps;

import dev.switchboard.migration.MigrationProgressListener;
import dev.switchboard.migration.schema.AgentSchema;
import dev.switchboard.migration.schema.ExpectedSchema;
import dev.switchboard.migration.transform.ConfigTransformer;
import dev.switchboard.migration.transform.V1Config;
import dev.switchboard.migration.transform.V2ConfigFields;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 3: voice_agent_config (+ businesses.vertical) → voice_assistant_configs. Keyset-paged batches: one SELECT
 * reads a batch, {@link ConfigTransformer} derives the v2 fields in Java, one INSERT … SELECT FROM unnest(…) writes
 * the whole batch (columns copied unchanged are taken from the source row in SQL, never round-tripped).
 * Runs inside the caller's transaction; on a dry run nothing is written.
 */
public final class ConfigMigrationStep {

    public record Outcome(int inserted, int updated, int skipped, long inScope, List<String> writtenIds) {
        public Outcome {
            writtenIds = List.copyOf(writtenIds);
        }
    }

    private static final String[] DERIVED = {"assistant_type_id", "voice_id", "voice_speed", "personality_type",
            "special_instructions", "enabled_capabilities", "template_version", "original_prompt_hash"};

    private final ConfigTransformer transformer = new ConfigTransformer();

    public Outcome run(Connection connection, AgentSchema schema, TenantScope scope, int batchSize, boolean force,
                       boolean dryRun, Instant migratedAt, MigrationProgressListener listener) throws SQLException {
        long inScope;
        long existing;
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*), count(t.id)"
                + " FROM voice_agent_config c LEFT JOIN voice_assistant_configs t ON t.id = c.id WHERE true"
                + scope.filter("c.business_id"))) {
            scope.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                inScope = rs.getLong(1);
                existing = rs.getLong(2);
            }
        }
        long toProcess = force ? inScope : inScope - existing;
        String selectFirst = selectBatch(schema, scope, force, true);
        String selectNext = selectBatch(schema, scope, force, false);
        String insert = dryRun ? null : insertBatch(schema, force);
        int inserted = 0;
        int updated = 0;
        int processed = 0;
        List<String> written = new ArrayList<>();
        String lastId = null;
        while (true) {
            List<V2ConfigFields> batch = new ArrayList<>(batchSize);
            try (PreparedStatement ps = connection.prepareStatement(lastId == null ? selectFirst : selectNext)) {
                int i = 1;
                if (lastId != null) {
                    ps.setString(i++, lastId);
                }
                i = scope.bind(ps, i);
                ps.setInt(i, batchSize);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.add(transformer.transform(new V1Config(rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5))));
                    }
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            lastId = batch.get(batch.size() - 1).id();
            if (!dryRun) {
                try (PreparedStatement ps = connection.prepareStatement(insert)) {
                    bindBatch(connection, ps, batch, migratedAt);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            written.add(rs.getString(1));
                            if (rs.getBoolean(2)) {
                                inserted++;
                            } else {
                                updated++;
                            }
                        }
                    }
                }
            } else {
                inserted += batch.size();
            }
            processed += batch.size();
            listener.progress("configs", processed, toProcess);
        }
        // in scope but not written: already migrated (no --force) or a v2-native row that --force must not touch
        int skipped = (int) (inScope - inserted - updated);
        return new Outcome(inserted, updated, skipped, inScope, written);
    }

    /** Keyset paging: the first batch has no lower bound, the next ones start after the last id seen. */
    private static String selectBatch(AgentSchema schema, TenantScope scope, boolean force, boolean first) {
        String idType = schema.sqlType(ExpectedSchema.CONFIGS_V1, "id");
        return "SELECT c.id::text, c.business_id::text, b.vertical, c.system_prompt, c.voice_id"
                + " FROM voice_agent_config c LEFT JOIN businesses b ON b.id = c.business_id"
                + " WHERE " + (first ? "true" : "c.id > CAST(? AS " + idType + ")")
                + scope.filter("c.business_id")
                + (force ? "" : " AND NOT EXISTS (SELECT 1 FROM voice_assistant_configs t WHERE t.id = c.id)")
                + " ORDER BY c.id LIMIT ?";
    }

    private static String insertBatch(AgentSchema schema, boolean force) {
        String t = ExpectedSchema.CONFIGS_V2;
        StringBuilder sql = new StringBuilder("INSERT INTO voice_assistant_configs AS t (id, business_id,"
                + " vapi_assistant_id, phone_number_id, is_active, created_at, updated_at, migrated_from_v1,"
                + " migrated_at, ").append(String.join(", ", DERIVED)).append(")")
                .append(" SELECT c.id, c.business_id, c.vapi_assistant_id, c.phone_number_id, c.is_active,")
                .append(" c.created_at, c.updated_at, true, CAST(? AS ").append(schema.sqlType(t, "migrated_at"))
                .append(")");
        for (String column : DERIVED) {
            String value = column.equals("enabled_capabilities") ? "string_to_array(u." + column + ", ',')"
                    : "u." + column;
            sql.append(", CAST(").append(value).append(" AS ").append(schema.sqlType(t, column)).append(")");
        }
        sql.append(" FROM unnest(?::text[]");
        for (int i = 0; i < DERIVED.length; i++) {
            sql.append(", ?::text[]");
        }
        sql.append(") AS u(id, ").append(String.join(", ", DERIVED)).append(")")
                .append(" JOIN voice_agent_config c ON c.id = CAST(u.id AS ")
                .append(schema.sqlType(ExpectedSchema.CONFIGS_V1, "id")).append(")");
        if (force) {
            sql.append(" ON CONFLICT (id) DO UPDATE SET business_id = EXCLUDED.business_id,")
                    .append(" vapi_assistant_id = EXCLUDED.vapi_assistant_id,")
                    .append(" phone_number_id = EXCLUDED.phone_number_id, is_active = EXCLUDED.is_active,")
                    .append(" created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,")
                    .append(" migrated_at = EXCLUDED.migrated_at");
            for (String column : DERIVED) {
                sql.append(", ").append(column).append(" = EXCLUDED.").append(column);
            }
            // only rows an earlier migration wrote: a row created natively on v2 is never overwritten
            sql.append(" WHERE t.migrated_from_v1");
        } else {
            sql.append(" ON CONFLICT (id) DO NOTHING");
        }
        return sql.append(" RETURNING t.id::text, (t.xmax = 0)").toString();
    }

    private static void bindBatch(Connection connection, PreparedStatement ps, List<V2ConfigFields> batch,
                                  Instant migratedAt) throws SQLException {
        int n = batch.size();
        String[][] columns = new String[DERIVED.length + 1][n];
        for (int r = 0; r < n; r++) {
            V2ConfigFields f = batch.get(r);
            columns[0][r] = f.id();
            columns[1][r] = f.assistantTypeId();
            columns[2][r] = f.voiceId();
            columns[3][r] = f.voiceSpeed().toPlainString();
            columns[4][r] = f.personalityType();
            columns[5][r] = f.specialInstructions();
            columns[6][r] = String.join(",", f.enabledCapabilities());
            columns[7][r] = f.templateVersion();
            columns[8][r] = f.originalPromptHash();
        }
        ps.setObject(1, OffsetDateTime.ofInstant(migratedAt, ZoneOffset.UTC));
        for (int c = 0; c < columns.length; c++) {
            ps.setArray(c + 2, connection.createArrayOf("text", columns[c]));
        }
    }
}
