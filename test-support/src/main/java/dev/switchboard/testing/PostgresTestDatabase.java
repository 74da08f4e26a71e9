package dev.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database on the local server, created for one test class and dropped after it.
 * Every test class gets its own database so that test classes (and developers working in parallel) never
 * see each other's rows. The server is the real one CI starts: no in-memory stand-in.
 *
 * <p>Server coordinates come from {@code SWITCHBOARD_TEST_PG_HOST}, {@code SWITCHBOARD_TEST_PG_PORT},
 * {@code SWITCHBOARD_TEST_PG_USER} (defaults 127.0.0.1, 5432, postgres; trust auth as set up by .ci/run).
 */
public final class PostgresTestDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final String user;
    private final String name;

    private PostgresTestDatabase(String host, int port, String user, String name) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.name = name;
    }

    /** Creates a new empty database with a unique name. */
    public static PostgresTestDatabase create() {
        String host = env("SWITCHBOARD_TEST_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("SWITCHBOARD_TEST_PG_PORT", "5432"));
        String user = env("SWITCHBOARD_TEST_PG_USER", "postgres");
        String name = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        PostgresTestDatabase db = new PostgresTestDatabase(host, port, user, name);
        db.admin("CREATE DATABASE " + name);
        return db;
    }

    private static String env(String key, String fallback) {
        String value = System.getenv(key);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public String r2dbcUrl() {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** r2dbc URL through another port, e.g. a {@link TcpProxy} in front of the server. */
    public String r2dbcUrlVia(int proxyPort) {
        return "r2dbc:postgresql://127.0.0.1:" + proxyPort + "/" + name;
    }

    /** Spring properties that point an application at this database (R2DBC at run time, JDBC for Flyway). */
    public Map<String, String> springProperties() {
        return Map.of(
                "spring.r2dbc.url", r2dbcUrl(),
                "spring.r2dbc.username", user,
                "spring.r2dbc.password", "",
                "spring.flyway.url", jdbcUrl(),
                "spring.flyway.user", user,
                "spring.flyway.password", "");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, "");
    }

    /** Runs SQL statements on this database through JDBC (test set-up and assertions). */
    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + name + ": " + sql, e);
        }
    }

    private void admin(String sql) {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + host + ":" + port
                    + " as " + user + " (is it running? .ci/run starts it): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
