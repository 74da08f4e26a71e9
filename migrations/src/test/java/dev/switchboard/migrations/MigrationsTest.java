package dev.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    private static Flyway flyway(PostgresTestDatabase db, String target) {
        var config = Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("classpath:db/migration");
        if (target != null) {
            config.target(target);
        }
        return config.load();
    }

    @Test
    void applyToAnEmptyDatabaseAndCreateEveryCoreTable() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            var result = flyway(db, null).migrate();
            assertThat(result.success).isTrue();
            List<String> tables = new ArrayList<>();
            try (Connection c = db.connect();
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("flags", "flag_tenant_overrides", "tenants", "tenant_identifiers",
                    "audit_events", "flag_snapshots", "api_tokens");
        }
    }

    /** Every released schema must upgrade to the newest one with data in it. */
    @Test
    void upgradeFromEachPreviousSchemaWithDataInIt() {
        List<MigrationInfo> all;
        try (PostgresTestDatabase probe = PostgresTestDatabase.create()) {
            all = List.of(flyway(probe, null).info().pending());
        }
        for (MigrationInfo previous : all) {
            try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
                flyway(db, previous.getVersion().getVersion()).migrate();
                db.execute("INSERT INTO flags (name, updated_by) VALUES ('voice_agent_v2', 'test')");
                var result = flyway(db, null).migrate();
                assertThat(result.success).as("upgrade from V%s", previous.getVersion()).isTrue();
                assertThat(flyway(db, null).info().pending()).isEmpty();
            }
        }
    }

    @Test
    void auditEventsAreAppendOnly() throws Exception {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            flyway(db, null).migrate();
            db.execute("INSERT INTO audit_events (actor, action) VALUES ('alice', 'flag.created')");
            try (Connection c = db.connect()) {
                var update = c.createStatement();
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> update.execute("UPDATE audit_events SET actor = 'mallory'"))
                        .hasMessageContaining("append-only");
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> update.execute("DELETE FROM audit_events"))
                        .hasMessageContaining("append-only");
            }
        }
    }

    @Test
    void percentageOutsideZeroToHundredIsRefusedByTheDatabase() {
        try (PostgresTestDatabase db = PostgresTestDatabase.create()) {
            flyway(db, null).migrate();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.execute(
                            "INSERT INTO flags (name, percentage, updated_by) VALUES ('f', 101, 't')"))
                    .hasStackTraceContaining("percentage");
        }
    }
}
