package dev.switchboard.migration.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Row count and an order-independent checksum of a whole table: md5 over the sorted md5 of every row's text form.
 * Two tables with the same columns have equal checksums exactly when they hold the same multiset of rows.
 * Text forms depend on session settings (TimeZone, DateStyle), so {@link Sessions#normalize} runs first.
 */
public record TableChecksum(String table, long rows, String md5) {

    /** {@code qualifiedTable} must already be a safe, quoted identifier. */
    public static TableChecksum of(Connection connection, String qualifiedTable) throws SQLException {
        Sessions.normalize(connection);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), ''))"
                     + " FROM (SELECT md5(t::text) AS h FROM " + qualifiedTable + " t) rows")) {
            rs.next();
            return new TableChecksum(qualifiedTable, rs.getLong(1), rs.getString(2));
        }
    }
}
