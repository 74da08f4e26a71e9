package dev.switchboard.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The PostgreSQL server the tests and the demo use: one given by {@code SWITCHBOARD_DATABASE_URL}, or else a private
 * PostgreSQL 16 started from Maven-delivered binaries on a free port, with its data directory under {@code target/}.
 * Nothing of the machine's own PostgreSQL is read, changed or restarted.
 *
 * <p>{@code SWITCHBOARD_DATABASE_URL} takes the libpq form {@code postgresql://user[:password]@host[:port][/database]}
 * (database: the one to connect to for {@code CREATE DATABASE}, default {@code postgres}) or the JDBC form
 * {@code jdbc:postgresql://host[:port][/database][?user=…&password=…]}.
 */
public record PostgresServer(String host, int port, String user, String password, String adminDatabase,
                             boolean embedded) {

    /** The variable that points tests and the demo at an existing server instead of the embedded one. */
    public static final String URL_VARIABLE = "SWITCHBOARD_DATABASE_URL";

    /** Connections the embedded server accepts: every test JVM keeps several application contexts and pools. */
    static final int EMBEDDED_MAX_CONNECTIONS = 300;

    private static volatile PostgresServer forThisProcess;

    /**
     * The server for this JVM: the one named by {@code SWITCHBOARD_DATABASE_URL}, or an embedded one started on the
     * first call (data under {@code <working dir>/target/embedded-postgres/}) and stopped when the JVM exits.
     */
    public static PostgresServer forThisProcess() {
        PostgresServer server = forThisProcess;
        if (server == null) {
            synchronized (PostgresServer.class) {
                server = forThisProcess;
                if (server == null) {
                    String url = System.getenv(URL_VARIABLE);
                    server = url == null || url.isBlank()
                            ? startEmbedded(Path.of("target", "embedded-postgres"))
                            : parse(url);
                    forThisProcess = server;
                }
            }
        }
        return server;
    }

    /**
     * Starts a private PostgreSQL whose data directory is a fresh folder under {@code parent}; it is stopped and its
     * folder deleted when the JVM exits.
     */
    public static PostgresServer startEmbedded(Path parent) {
        Path dataDir = parent.toAbsolutePath().resolve("data-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("max_connections", String.valueOf(EMBEDDED_MAX_CONNECTIONS))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data folder is under target/
                }
            }, "embedded-postgres-stop"));
            System.err.printf("[postgres] embedded PostgreSQL on 127.0.0.1:%d started in %d ms (data %s)%n",
                    postgres.getPort(), (System.nanoTime() - started) / 1_000_000, dataDir);
            return new PostgresServer("127.0.0.1", postgres.getPort(), "postgres", "", "postgres", true);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage()
                    + " (set " + URL_VARIABLE + " to use an existing server instead)", e);
        }
    }

    /** Reads a {@code postgresql://} or {@code jdbc:postgresql://} URL; see the class comment. */
    public static PostgresServer parse(String url) {
        String raw = url.trim();
        if (raw.startsWith("jdbc:")) {
            raw = raw.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = URI.create(raw.replaceFirst("^postgres://", "postgresql://"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL_VARIABLE + " is not a URL: " + redact(url), e);
        }
        if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(URL_VARIABLE + " must look like postgresql://user@host:5432/postgres, got "
                    + redact(url));
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("user")) {
                    user = decode(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("password")) {
                    password = decode(kv[1]);
                }
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new PostgresServer(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password,
                path.isEmpty() ? "postgres" : path, false);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL with any password removed, for messages. */
    static String redact(String url) {
        return url.replaceAll("(//[^:/@]+):[^@/]*@", "$1:***@").replaceAll("password=[^&]*", "password=***");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A connection to {@code database} on this server. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Runs one statement on the administration database (CREATE / DROP DATABASE). */
    public void admin(String sql) {
        try (Connection c = connect(adminDatabase); var s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " as " + user + " refused: " + sql
                    + ": " + e.getMessage(), e);
        }
    }
}
