package dev.switchboard.migration.steps;

import dev.switchboard.migration.MigrationException;
import dev.switchboard.migration.schema.AgentSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The businesses a run covers: all of them, or an explicit set (from --tenant-ids or a rollout stage) checked to
 * exist. Filters compare ids as text so uuid and text ids work the same way.
 */
public final class TenantScope {

    private final Optional<List<String>> ids;

    private TenantScope(Optional<List<String>> ids) {
        this.ids = ids;
    }

    public static TenantScope all() {
        return new TenantScope(Optional.empty());
    }

    /** Every id must be a business; otherwise one error naming the unknown ones, before anything is written. */
    public static TenantScope resolve(Connection connection, AgentSchema schema, Optional<Set<String>> requested)
            throws SQLException {
        if (requested.isEmpty()) {
            return all();
        }
        List<String> wanted = new ArrayList<>();
        for (String id : requested.get()) {
            // uuid text forms are lower case; accept ids pasted in upper case
            wanted.add(schema.businessIdIsUuid() ? id.trim().toLowerCase(Locale.ROOT) : id.trim());
        }
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id::text FROM businesses WHERE id::text = ANY(?)")) {
            ps.setArray(1, connection.createArrayOf("text", wanted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        Set<String> unknown = new TreeSet<>(wanted);
        unknown.removeAll(found);
        if (!unknown.isEmpty()) {
            throw new MigrationException(MigrationException.Kind.UNKNOWN_TENANT, "Unknown tenant id"
                    + (unknown.size() > 1 ? "s" : "") + " (no such business in the voice-agent database): "
                    + String.join(", ", limit(unknown)));
        }
        return new TenantScope(Optional.of(List.copyOf(new TreeSet<>(wanted))));
    }

    private static List<String> limit(Set<String> ids) {
        List<String> list = new ArrayList<>(ids);
        if (list.size() <= 10) {
            return list;
        }
        List<String> shown = new ArrayList<>(list.subList(0, 10));
        shown.add("… and " + (list.size() - 10) + " more");
        return shown;
    }

    public boolean isAll() {
        return ids.isEmpty();
    }

    public Optional<List<String>> ids() {
        return ids;
    }

    /** {@code " AND <expr>::text = ANY(?)"} or nothing; bind with {@link #bind}. */
    public String filter(String businessIdExpression) {
        return ids.isEmpty() ? "" : " AND (" + businessIdExpression + ")::text = ANY(?)";
    }

    /** Binds the filter's parameter at {@code index} when there is one; returns the next free index. */
    public int bind(PreparedStatement ps, int index) throws SQLException {
        if (ids.isPresent()) {
            ps.setArray(index, ps.getConnection().createArrayOf("text", ids.get().toArray()));
            return index + 1;
        }
        return index;
    }
}
