package dev.switchboard.migration.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Row count and an order-independent checksum of a whole table: two 64-bit hashes (PostgreSQL's
 * hashtextextended with seeds 0 and 1, stable by design since hash partitioning relies on them) of every row's
 * text form, each summed over the table. Sums commute, so no sort of a million hashes is needed (about 3x faster
 * than md5 over sorted row hashes on a million calls). Equal multisets of rows give equal checksums; a change goes
 * unnoticed only if both sums collide at once.
 * Text forms depend on session settings (TimeZone, DateStyle), so {@link Sessions#normalize} runs first.
 */
public record TableChecksum(String table, long rows, String sum) {

    /** {@code qualifiedTable} must already be a safe, quoted identifier. */
    public static TableChecksum of(Connection connection, String qualifiedTable) throws SQLException {
        Sessions.normalize(connection);
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hashtextextended(h, 0)), 0) || '/'"
                     + " || coalesce(sum(hashtextextended(h, 1)), 0)"
                     + " FROM (SELECT t::text AS h FROM " + qualifiedTable + " t) rows")) {
            rs.next();
            return new TableChecksum(qualifiedTable, rs.getLong(1), rs.getString(2));
        }
    }
}
