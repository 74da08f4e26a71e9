package dev.switchboard.migration.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The migration's own tables inside the voice-agent database (it is not Switchboard's database, so no Flyway:
 * they are created on the first live run). Dry runs never create them.
 */
public final class Bookkeeping {

    public static final String BACKUPS = "switchboard_migration_backups";
    /** Which business's metrics row an earlier run wrote, so re-runs skip it and --force replaces exactly it. */
    public static final String MIGRATED_METRICS = "switchboard_migrated_metrics";
    public static final String BACKUP_SCHEMA = "switchboard_backup";

    private Bookkeeping() {
    }

    public static void ensure(Connection connection) throws SQLException {
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + BACKUP_SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + BACKUPS + " ("
                    + " id text PRIMARY KEY,"
                    + " created_at timestamptz NOT NULL,"
                    + " backup_schema text NOT NULL,"
                    + " tables text[] NOT NULL,"
                    + " row_counts bigint[] NOT NULL,"
                    + " checksums text[] NOT NULL,"
                    + " reason text)");
            s.execute("CREATE TABLE IF NOT EXISTS " + MIGRATED_METRICS + " ("
                    + " business_id text PRIMARY KEY,"
                    + " metrics_id text NOT NULL,"
                    + " migrated_at timestamptz NOT NULL)");
        } finally {
            connection.setAutoCommit(auto);
        }
    }

    public static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
