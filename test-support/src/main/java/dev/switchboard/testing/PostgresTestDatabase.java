package dev.switchboard.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database, created for one test class and dropped after it, on the server of
 * {@link PostgresServer#forThisProcess()}: a private embedded PostgreSQL by default, or the one named by
 * {@code SWITCHBOARD_DATABASE_URL}. Every test class gets its own database so that test classes never see each
 * other's rows. Always a real PostgreSQL: no in-memory stand-in.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;

    private PostgresTestDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates a new empty database with a unique name. */
    public static PostgresTestDatabase create() {
        PostgresServer server = PostgresServer.forThisProcess();
        String name = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        server.admin("CREATE DATABASE " + name);
        return new PostgresTestDatabase(server, name);
    }

    public PostgresServer server() {
        return server;
    }

    public String name() {
        return name;
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String r2dbcUrl() {
        return server.r2dbcUrl(name);
    }

    /** r2dbc URL through another port, e.g. a {@link TcpProxy} in front of the server. */
    public String r2dbcUrlVia(int proxyPort) {
        return "r2dbc:postgresql://127.0.0.1:" + proxyPort + "/" + name;
    }

    /** Spring properties that point an application at this database (R2DBC at run time, JDBC for Flyway). */
    public Map<String, String> springProperties() {
        return Map.of(
                "spring.r2dbc.url", r2dbcUrl(),
                "spring.r2dbc.username", server.user(),
                "spring.r2dbc.password", server.password(),
                "spring.flyway.url", jdbcUrl(),
                "spring.flyway.user", server.user(),
                "spring.flyway.password", server.password());
    }

    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs SQL statements on this database through JDBC (test set-up and assertions). */
    public void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + name + ": " + sql, e);
        }
    }

    /**
     * Drops the database. On the embedded server a failure is ignored: called from a shutdown hook it may run after
     * the server stopped, and the server's whole data folder goes with it anyway.
     */
    @Override
    public void close() {
        try {
            server.admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            if (!server.embedded()) {
                throw e;
            }
        }
    }
}
