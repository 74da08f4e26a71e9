package dev.switchboard.controlplane.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The dashboard's people and timings. Users live in configuration with bcrypt hashes (never plain passwords);
 * an empty list means nobody can log in, which is the safe default for a fresh install.
 *
 * @param users           who may log in, with their role (viewer, operator or admin)
 * @param sessionTimeout  idle time after which a login session ends (the panels' polling counts as activity)
 * @param refreshSeconds  how often the live panels poll
 * @param secureCookie    {@code auto} (default): the session cookie is {@code Secure} when the request came over
 *                        HTTPS, directly or as told by a TLS proxy's {@code X-Forwarded-Proto} with
 *                        {@code server.forward-headers-strategy} set; {@code always}; {@code never}
 * @param login           the login throttle
 */
@ConfigurationProperties("switchboard.dashboard")
record DashboardProperties(List<User> users, Duration sessionTimeout, int refreshSeconds, String secureCookie,
                           Login login) {

    DashboardProperties {
        users = users == null ? List.of() : List.copyOf(users);
        sessionTimeout = sessionTimeout == null ? Duration.ofMinutes(30) : sessionTimeout;
        refreshSeconds = refreshSeconds <= 0 ? 5 : refreshSeconds;
        secureCookie = secureCookie == null || secureCookie.isBlank() ? "auto" : secureCookie.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "always", "never").contains(secureCookie)) {
            throw new IllegalArgumentException("switchboard.dashboard.secure-cookie must be auto, always or never, not "
                    + secureCookie);
        }
        login = login == null ? new Login(0, 0, 0, null, null, null) : login;
    }

    /** @param passwordHash a bcrypt hash, e.g. {@code $2a$10$...} (generate with {@code htpasswd -bnBC 10 "" pw}) */
    record User(String username, String passwordHash, String role) {
    }

    /**
     * Failed logins allowed within {@code window} before further attempts are answered 429 with
     * {@code Retry-After}; each failure past a limit doubles the wait, from {@code firstBlock} up to
     * {@code maxBlock}.
     *
     * @param perUserAndAddress failures for one username from one client address
     * @param perAddress        failures from one client address, whatever the usernames
     * @param perUser           failures for one username from all addresses together; past it, only addresses
     *                          that have themselves failed for that username wait, so the real person logging in
     *                          from a clean address always gets through
     */
    record Login(int perUserAndAddress, int perAddress, int perUser, Duration window, Duration firstBlock,
                 Duration maxBlock) {

        Login {
            perUserAndAddress = perUserAndAddress <= 0 ? 5 : perUserAndAddress;
            perAddress = perAddress <= 0 ? 20 : perAddress;
            perUser = perUser <= 0 ? 50 : perUser;
            window = window == null ? Duration.ofMinutes(15) : window;
            firstBlock = firstBlock == null ? Duration.ofSeconds(30) : firstBlock;
            maxBlock = maxBlock == null ? Duration.ofMinutes(15) : maxBlock;
        }

        /** The wait after the {@code failures}-th failure against a limit of {@code limit}. */
        Duration blockAfter(int failures, int limit) {
            if (failures < limit) {
                return Duration.ZERO;
            }
            int doublings = Math.min(30, failures - limit);
            Duration wait = firstBlock.multipliedBy(1L << doublings);
            return wait.compareTo(maxBlock) > 0 || wait.isNegative() ? maxBlock : wait;
        }
    }
}
