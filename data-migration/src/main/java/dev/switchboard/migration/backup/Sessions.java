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
        }
    }

    /** A double-quoted SQL identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
