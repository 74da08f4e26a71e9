package dev.switchboard.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the voice-agent platform's own PostgreSQL is (not Switchboard's database). The password is kept out of
 * {@link #toString()} so that it never reaches a log or an error line.
 */
public record AgentDatabase(String jdbcUrl, String user, String password) {

    /** Environment variable the CLI reads when --database-url is not given. */
    public static final String URL_ENV = "SWITCHBOARD_AGENT_DB_URL";

    public AgentDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--database-url must be a jdbc:postgresql:// URL, got " + redact(jdbcUrl));
        }
    }

    public static AgentDatabase of(String jdbcUrl) {
        return new AgentDatabase(jdbcUrl, null, null);
    }

    /** Opens a connection, failing fast and with one clear line when the server is not there. */
    public Connection connect() {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "switchboard-data-migration");
        try {
            return DriverManager.getConnection(jdbcUrl, props);
        } catch (SQLException e) {
            throw new MigrationException(MigrationException.Kind.DATABASE_UNREACHABLE,
                    "Cannot connect to the voice-agent database " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AgentDatabase[" + redact(jdbcUrl) + ", user=" + user + "]";
    }

    /** Drops a password=... query parameter from a URL before it is shown. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
