package dev.switchboard.migration;

import dev.switchboard.migration.schema.VoiceAgentSchema;
import dev.switchboard.testing.PostgresTestDatabase;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A fresh voice-agent database with the v1 + v2 schema fixture, small data builders and independent checksums. */
public final class AgentDbFixture implements AutoCloseable {

    public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final List<String> ALL_TABLES = List.of("businesses", "voice_agent_config", "voice_calls",
            "voice_assistant_configs", "voice_assistant_metrics");

    final PostgresTestDatabase db;

    public AgentDbFixture() {
        db = PostgresTestDatabase.create();
        db.execute(VoiceAgentSchema.sql(VoiceAgentSchema.BusinessIdType.UUID));
    }

    static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public AgentDatabase database() {
        return new AgentDatabase(db.jdbcUrl(), db.user(), db.password());
    }

    MigrationOptions.Builder options() {
        return MigrationOptions.builder(database());
    }

    VoiceAgentMigration migration() {
        return new VoiceAgentMigration(CLOCK, MigrationAuditSink.NONE);
    }

    String business(String name, String vertical) {
        String id = id(name);
        update("INSERT INTO businesses (id, name, vertical) VALUES (?::uuid, ?, ?)", id, name, vertical);
        return id;
    }

    String config(String name, String businessId, String prompt, String voiceId) {
        String id = id("config-" + name);
        update("INSERT INTO voice_agent_config (id, business_id, vapi_assistant_id, phone_number_id, assistant_name,"
                        + " system_prompt, voice_id, created_at, updated_at) VALUES (?::uuid, ?::uuid, ?, ?, ?, ?, ?,"
                        + " '2024-01-02T03:04:05Z', '2024-02-03T04:05:06Z')",
                id, businessId, "vapi-" + name, "phone-" + name, "Asistente " + name, prompt, voiceId);
        return id;
    }

    /** A call that started {@code daysAgo} days before {@link #NOW}. */
    String call(String name, String businessId, String status, String outcome, double daysAgo, Integer duration,
                Integer latency) {
        String id = id("call-" + name);
        update("INSERT INTO voice_calls (id, business_id, vapi_call_id, status, outcome, started_at,"
                        + " duration_seconds, avg_latency_ms) VALUES (?::uuid, ?::uuid, ?, ?, ?,"
                        + " ?::timestamptz - make_interval(secs => ?), ?, ?)",
                id, businessId, "vapi-call-" + name, status, outcome, NOW.toString(), daysAgo * 86400.0, duration,
                latency);
        return id;
    }

    public void update(String sql, Object... params) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String sql) {
        return Long.parseLong(String.valueOf(value(sql)));
    }

    public Object value(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    List<Map<String, Object>> rows(String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> out = new java.util.ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Checksums of every table of every schema (ours and the bookkeeping/backup ones, whatever exists), computed
     * independently of the production checksum code: same content ⇔ same map.
     */
    public Map<String, String> checksums() {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET TimeZone TO 'UTC'");
            List<String> tables = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
                    + " FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                    + " ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|'"
                        + " ORDER BY t::text)), '-') FROM " + table + " t")) {
                    rs.next();
                    out.put(table, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    Map<String, String> checksums(List<String> tables) {
        Map<String, String> all = checksums();
        Map<String, String> out = new LinkedHashMap<>();
        tables.forEach(t -> out.put(t, all.get("public." + t)));
        return out;
    }

    /** The standard small data set: a restaurant, a dental clinic and a retail shop, calls in and out of window. */
    public Standard standard() {
        String rest = business("La Taberna", "restaurant");
        String dental = business("Clinica Sonrisa", "dental");
        String shop = business("Tienda Sol", "retail");
        String restConfig = config("rest", rest, "Eres el asistente. Toma pedidos del menu y reservas."
                + " Si no puedes, transferir a un humano.\n## Instrucciones especiales: No aceptar grupos de mas de"
                + " 10 personas.\n## Horario\nAbrimos a las 13h", null);
        String dentalConfig = config("dental", dental, "Agenda citas y explica tratamientos. Horario de 9 a 18.",
                "eleven-lucia");
        String shopConfig = config("shop", shop, null, "voice-x");
        int[] latencies = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
        for (int i = 0; i < latencies.length; i++) {
            String status = i < 7 ? "completed" : i < 9 ? "failed" : "transferred";
            String outcome = i == 0 ? "reservation_created" : i == 1 ? "order_created" : null;
            call("rest-" + i, rest, status, outcome, i + 1, 60 + i, latencies[i]);
        }
        call("rest-old", rest, "completed", "order_created", 40, 100, 5000);
        call("rest-zero", rest, "in_progress", null, 0.5, 0, 0);
        call("dental-1", dental, "completed", "appointment_created", 2, 120, 250);
        call("dental-2", dental, "no-answer", null, 3, null, null);
        return new Standard(rest, dental, shop, restConfig, dentalConfig, shopConfig);
    }

    public record Standard(String restaurant, String dental, String shop, String restaurantConfig, String dentalConfig,
                    String shopConfig) {
    }

    @Override
    public void close() {
        db.close();
    }
}
