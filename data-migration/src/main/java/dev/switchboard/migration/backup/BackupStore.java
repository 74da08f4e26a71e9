package dev.switchboard.migration.backup;

import dev.switchboard.migration.MigrationException;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Full-table copies of the tables a migration touches, in schema {@value Bookkeeping#BACKUP_SCHEMA} of the same
 * database, recorded in {@value Bookkeeping#BACKUPS} with row counts and checksums. All copies of one backup come
 * from one snapshot (REPEATABLE READ), so they agree with each other.
 */
public final class BackupStore {

    /** Tables backed up before a live migration: its sources, its targets and its own re-run marker. */
    public static final List<String> MIGRATION_TABLES = List.of("voice_agent_config", "voice_calls",
            "voice_assistant_configs", "voice_assistant_metrics", Bookkeeping.MIGRATED_METRICS);

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public BackupStore(Clock clock) {
        this.clock = clock;
    }

    /** Copies {@code tables} and records the backup; commits. Bookkeeping must exist ({@link Bookkeeping#ensure}). */
    public BackupInfo create(Connection connection, List<String> tables, String reason) throws SQLException {
        Instant now = clock.instant();
        byte[] suffix = new byte[3];
        random.nextBytes(suffix);
        String id = "mb_" + ID_TIME.format(now) + "_" + HexFormat.of().formatHex(suffix);
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            List<Long> counts = new ArrayList<>();
            List<String> sums = new ArrayList<>();
            try (Statement s = connection.createStatement()) {
                for (String table : tables) {
                    String copy = copyName(id, table);
                    s.execute("CREATE TABLE " + copy + " AS SELECT * FROM " + Sessions.quote(table));
                    TableChecksum sum = TableChecksum.of(connection, copy);
                    counts.add(sum.rows());
                    sums.add(sum.sum());
                }
            }
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + Bookkeeping.BACKUPS
                    + " (id, created_at, backup_schema, tables, row_counts, checksums, reason)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                ps.setString(3, Bookkeeping.BACKUP_SCHEMA);
                ps.setArray(4, connection.createArrayOf("text", tables.toArray()));
                ps.setArray(5, connection.createArrayOf("bigint", counts.toArray()));
                ps.setArray(6, connection.createArrayOf("text", sums.toArray()));
                ps.setString(7, reason);
                ps.executeUpdate();
            }
            connection.commit();
            return new BackupInfo(id, now, tables, counts, sums, reason);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
    }

    /** Backups, newest first; empty when no live run ever happened on this database. */
    public List<BackupInfo> list(Connection connection) throws SQLException {
        if (!Bookkeeping.exists(connection, Bookkeeping.BACKUPS)) {
            return List.of();
        }
        List<BackupInfo> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, created_at, tables, row_counts, checksums, reason FROM "
                     + Bookkeeping.BACKUPS + " ORDER BY created_at DESC, id DESC")) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    public Optional<BackupInfo> find(Connection connection, String id) throws SQLException {
        if (!Bookkeeping.exists(connection, Bookkeeping.BACKUPS)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, created_at, tables, row_counts,"
                + " checksums, reason FROM " + Bookkeeping.BACKUPS + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Puts every table of the backup back exactly as it was, in one transaction that holds exclusive locks on
     * them; the checksums must equal the recorded ones or nothing is changed. Rows written since the backup are
     * lost (the legacy data rollback warned of the same).
     */
    public RestoreResult restore(Connection connection, String backupId) throws SQLException {
        long started = System.nanoTime();
        BackupInfo backup = find(connection, backupId).orElseThrow(() -> new MigrationException(
                MigrationException.Kind.UNKNOWN_BACKUP, "No migration backup with id '" + backupId
                + "' (run the data rollback without --backup-id to list the backups)"));
        for (String table : backup.tables()) {
            if (!Bookkeeping.exists(connection, copyName(backupId, table))) {
                throw new MigrationException(MigrationException.Kind.RESTORE_FAILED, "Backup " + backupId
                        + " is incomplete: its copy of " + table + " is gone; nothing was restored");
            }
        }
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            List<String> quoted = backup.tables().stream().map(Sessions::quote).toList();
            s.execute("LOCK TABLE " + String.join(", ", quoted) + " IN ACCESS EXCLUSIVE MODE");
            empty(connection, s, quoted);
            for (String table : backup.tables()) {
                String columns = String.join(", ", copyColumns(connection, backupId, table));
                s.executeUpdate("INSERT INTO " + Sessions.quote(table) + " (" + columns + ") OVERRIDING SYSTEM VALUE"
                        + " SELECT " + columns + " FROM " + copyName(backupId, table));
            }
            for (int i = 0; i < backup.tables().size(); i++) {
                TableChecksum now = TableChecksum.of(connection, Sessions.quote(backup.tables().get(i)));
                if (now.rows() != backup.rowCounts().get(i) || !now.sum().equals(backup.checksums().get(i))) {
                    throw new MigrationException(MigrationException.Kind.RESTORE_FAILED, "Restore of backup "
                            + backupId + " would not reproduce " + backup.tables().get(i) + " exactly (rows "
                            + now.rows() + " vs " + backup.rowCounts().get(i) + ", checksum differs: has its schema"
                            + " or a trigger changed since the backup?); nothing was restored");
                }
            }
            connection.commit();
            return new RestoreResult(backupId, backup.tables(), backup.rowCounts(),
                    java.time.Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** TRUNCATE when no other table references these, else DELETE (which respects the foreign keys). */
    private static void empty(Connection connection, Statement s, List<String> quoted) throws SQLException {
        var savepoint = connection.setSavepoint();
        try {
            s.execute("TRUNCATE " + String.join(", ", quoted));
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            connection.rollback(savepoint);
            for (String table : quoted) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private static List<String> copyColumns(Connection connection, String backupId, String table)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT attname FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, copyName(backupId, table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(Sessions.quote(rs.getString(1)));
                }
            }
        }
        return columns;
    }

    static String copyName(String backupId, String table) {
        return Bookkeeping.BACKUP_SCHEMA + "." + Sessions.quote(backupId + "__" + table);
    }

    private static BackupInfo read(ResultSet rs) throws SQLException {
        return new BackupInfo(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                Arrays.asList((String[]) array(rs.getArray(3))), Arrays.asList((Long[]) array(rs.getArray(4))),
                Arrays.asList((String[]) array(rs.getArray(5))), rs.getString(6));
    }

    private static Object array(Array a) throws SQLException {
        return a.getArray();
    }
}
