package dev.switchboard.migration.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables and columns the migration reads and writes, and the types it can work with (documented in
 * docs/data-migration.md). Columns not listed here are neither read nor checked; they are copied by backups.
 */
public final class ExpectedSchema {

    public static final String BUSINESSES = "businesses";
    public static final String CONFIGS_V1 = "voice_agent_config";
    public static final String CALLS = "voice_calls";
    public static final String CONFIGS_V2 = "voice_assistant_configs";
    public static final String METRICS = "voice_assistant_metrics";

    public static final List<String> SOURCE_TABLES = List.of(BUSINESSES, CONFIGS_V1, CALLS);
    public static final List<String> TARGET_TABLES = List.of(CONFIGS_V2, METRICS);

    /** table → (column → kind), in a stable order for messages. */
    public static final Map<String, Map<String, ColumnKind>> COLUMNS = columns();

    private static Map<String, Map<String, ColumnKind>> columns() {
        Map<String, Map<String, ColumnKind>> t = new LinkedHashMap<>();
        t.put(BUSINESSES, ordered("id", ColumnKind.ID, "vertical", ColumnKind.TEXT));
        t.put(CONFIGS_V1, ordered("id", ColumnKind.ID, "business_id", ColumnKind.ID,
                "vapi_assistant_id", ColumnKind.TEXT, "phone_number_id", ColumnKind.TEXT,
                "system_prompt", ColumnKind.TEXT, "voice_id", ColumnKind.TEXT, "is_active", ColumnKind.BOOLEAN,
                "created_at", ColumnKind.TIMESTAMP, "updated_at", ColumnKind.TIMESTAMP));
        t.put(CALLS, ordered("id", ColumnKind.ID, "business_id", ColumnKind.ID, "status", ColumnKind.TEXT,
                "outcome", ColumnKind.TEXT, "started_at", ColumnKind.TIMESTAMP,
                "duration_seconds", ColumnKind.NUMBER, "avg_latency_ms", ColumnKind.NUMBER));
        t.put(CONFIGS_V2, ordered("id", ColumnKind.ID, "business_id", ColumnKind.ID,
                "assistant_type_id", ColumnKind.TEXT, "vapi_assistant_id", ColumnKind.TEXT,
                "phone_number_id", ColumnKind.TEXT, "voice_id", ColumnKind.TEXT, "voice_speed", ColumnKind.NUMBER,
                "personality_type", ColumnKind.TEXT, "special_instructions", ColumnKind.TEXT,
                "enabled_capabilities", ColumnKind.TEXT_ARRAY, "template_version", ColumnKind.TEXT,
                "is_active", ColumnKind.BOOLEAN, "created_at", ColumnKind.TIMESTAMP,
                "updated_at", ColumnKind.TIMESTAMP, "migrated_from_v1", ColumnKind.BOOLEAN,
                "migrated_at", ColumnKind.TIMESTAMP, "original_prompt_hash", ColumnKind.TEXT));
        t.put(METRICS, ordered("id", ColumnKind.ID, "business_id", ColumnKind.ID,
                "period_start", ColumnKind.TIMESTAMP, "period_end", ColumnKind.TIMESTAMP,
                "total_calls", ColumnKind.INTEGER, "successful_calls", ColumnKind.INTEGER,
                "failed_calls", ColumnKind.INTEGER, "avg_duration_seconds", ColumnKind.NUMBER,
                "avg_latency_ms", ColumnKind.NUMBER, "p50_latency_ms", ColumnKind.NUMBER,
                "p95_latency_ms", ColumnKind.NUMBER, "reservations_created", ColumnKind.INTEGER,
                "appointments_created", ColumnKind.INTEGER, "orders_created", ColumnKind.INTEGER,
                "human_transfers", ColumnKind.INTEGER));
        return Map.copyOf(t);
    }

    private static Map<String, ColumnKind> ordered(Object... pairs) {
        Map<String, ColumnKind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (ColumnKind) pairs[i + 1]);
        }
        return m;
    }

    private ExpectedSchema() {
    }
}
