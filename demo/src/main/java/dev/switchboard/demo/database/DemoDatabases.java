package dev.switchboard.demo.database;

import dev.switchboard.migration.schema.VoiceAgentSchema;
import dev.switchboard.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The demo's two databases on its PostgreSQL server: Switchboard's own (empty; the control plane migrates it) and the
 * voice-agent platform's (the shared {@link VoiceAgentSchema} with text business ids, then v1 data for the demo's
 * tenants). Both are dropped and created anew on every demo start.
 */
public final class DemoDatabases {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String DATA = "/dev/switchboard/demo/voice_agents_data.sql";

    private DemoDatabases() {
    }

    /** The server coordinates written by {@code switchboard-demo postgres} (see {@link #writeServerFile}). */
    public static PostgresServer readServerFile(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return new PostgresServer(p.getProperty("host"), Integer.parseInt(p.getProperty("port")), p.getProperty("user"),
                p.getProperty("password", ""), p.getProperty("database", "postgres"),
                Boolean.parseBoolean(p.getProperty("embedded", "false")));
    }

    /** Writes the server coordinates for the other demo commands (atomically: a reader never sees half a file). */
    public static void writeServerFile(PostgresServer server, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, "host=" + server.host() + "\nport=" + server.port() + "\nuser=" + server.user()
                + "\npassword=" + server.password() + "\ndatabase=" + server.adminDatabase()
                + "\nembedded=" + server.embedded() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates the database unless it is there; nothing in it is touched. */
    public static void createIfMissing(PostgresServer server, String name) {
        checkName(name);
        try (Connection c = server.connect(server.adminDatabase());
             var q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, name);
            if (q.executeQuery().next()) {
                return;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + server.host() + ":" + server.port() + ": " + e.getMessage(), e);
        }
        server.admin("CREATE DATABASE " + name);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + NAME + ": " + name);
        }
    }

    /**
     * Drops and creates Switchboard's database and, when {@code agentsDb} is given, the platform's, loaded with the
     * platform schema and {@code tenants} tenants' v1 data.
     */
    public static void recreate(PostgresServer server, String switchboardDb, String agentsDb, int tenants) {
        for (String name : agentsDb == null ? new String[] {switchboardDb} : new String[] {switchboardDb, agentsDb}) {
            checkName(name);
            server.admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            server.admin("CREATE DATABASE " + name);
        }
        if (agentsDb == null) {
            return;
        }
        if (tenants < 1 || tenants > 9999) {
            throw new IllegalArgumentException("tenants must be 1..9999, got " + tenants);
        }
        try (Connection c = server.connect(agentsDb); Statement s = c.createStatement()) {
            s.execute(VoiceAgentSchema.sql(VoiceAgentSchema.BusinessIdType.TEXT));
            s.execute(resource(DATA).replace("{{count}}", Integer.toString(tenants)));
        } catch (SQLException e) {
            throw new IllegalStateException("loading the voice-agent data into " + agentsDb + " failed: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DemoDatabases.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the demo jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
