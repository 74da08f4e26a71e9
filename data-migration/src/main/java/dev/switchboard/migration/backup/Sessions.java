package dev.switchboard.migration.backup;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Session settings every connection of the migration uses, so that row text forms (and checksums) are stable. */
public final class Sessions {

    private Sessions() {
    }

    public static void normalize(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET IntervalStyle TO 'postgres';"
                    + " SET extra_float_digits TO 3");
            // JIT compiled each big statement for seconds (more than it saved), and the metrics sort of a million
            // calls fits in memory with 256 MB instead of spilling; both only for this session
            s.execute("SET jit TO off; SET work_mem TO '256MB'");
        }
    }

    /** A double-quoted SQL identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
