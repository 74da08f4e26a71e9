package dev.switchboard.migration.steps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Step "validate current data": no calls without a business (orphans), no config pointing at a
 * missing business; a warning when the target already holds rows. Read-only.
 */
public final class Validation {

    public record Report(List<String> errors, List<String> warnings) {
        public Report {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    public Report run(Connection connection, TenantScope scope) throws SQLException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Sample orphans = sample(connection, "SELECT vc.id::text FROM voice_calls vc WHERE vc.business_id IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM businesses b WHERE b.id = vc.business_id)");
        if (orphans.count > 0) {
            errors.add("Found " + orphans.count + " orphaned call" + (orphans.count > 1 ? "s" : "")
                    + " without a business in voice_calls (e.g. " + String.join(", ", orphans.ids) + ")");
        }
        Sample configs = sample(connection, "SELECT c.id::text FROM voice_agent_config c WHERE c.business_id IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM businesses b WHERE b.id = c.business_id)");
        if (configs.count > 0) {
            errors.add("Found " + configs.count + " config" + (configs.count > 1 ? "s" : "")
                    + " in voice_agent_config without a business (e.g. " + String.join(", ", configs.ids) + ")");
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*), count(*) FILTER (WHERE EXISTS"
                + " (SELECT 1 FROM voice_agent_config c WHERE c.id = t.id" + scope.filter("c.business_id") + "))"
                + " FROM voice_assistant_configs t")) {
            scope.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long total = rs.getLong(1);
                long inScope = rs.getLong(2);
                if (total > 0) {
                    warnings.add("voice_assistant_configs already holds " + total + " row" + (total > 1 ? "s" : "")
                            + " (" + inScope + " of this run's configs: skipped, or updated with --force)");
                }
            }
        }
        return new Report(errors, warnings);
    }

    private record Sample(long count, List<String> ids) {
    }

    private static Sample sample(Connection connection, String idQuery) throws SQLException {
        List<String> ids = new ArrayList<>();
        long count;
        try (PreparedStatement ps = connection.prepareStatement("SELECT count(*) FROM (" + idQuery + ") q");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            count = rs.getLong(1);
        }
        if (count > 0) {
            try (PreparedStatement ps = connection.prepareStatement(idQuery + " LIMIT 5");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return new Sample(count, ids);
    }
}
