package dev.switchboard.controlplane.dashboard;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The dashboard's people and timings. Users live in configuration with bcrypt hashes (never plain passwords);
 * an empty list means nobody can log in, which is the safe default for a fresh install.
 *
 * @param users           who may log in, with their role (viewer, operator or admin)
 * @param sessionTimeout  idle time after which a login session ends (the panels' polling counts as activity)
 * @param refreshSeconds  how often the live panels poll
 */
@ConfigurationProperties("switchboard.dashboard")
record DashboardProperties(List<User> users, Duration sessionTimeout, int refreshSeconds) {

    DashboardProperties {
        users = users == null ? List.of() : List.copyOf(users);
        sessionTimeout = sessionTimeout == null ? Duration.ofMinutes(30) : sessionTimeout;
        refreshSeconds = refreshSeconds <= 0 ? 5 : refreshSeconds;
    }

    /** @param passwordHash a bcrypt hash, e.g. {@code $2a$10$...} (generate with {@code htpasswd -bnBC 10 "" pw}) */
    record User(String username, String passwordHash, String role) {
    }
}
