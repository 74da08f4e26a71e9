package dev.switchboard.controlplane.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Slows password guessing down, in PostgreSQL so that every control plane behind a load balancer counts the
 * same failures. Three counters per failed login: the client address, the username from that address, and the
 * username from everywhere (see {@link DashboardProperties.Login}). A blocked attempt is answered 429 with
 * {@code Retry-After} before any password is checked, so it costs no bcrypt time and tells nothing; each
 * failure past a limit doubles the wait. The username-wide limit only holds back addresses that have failed for
 * that username themselves, so an attacker can never lock the real admin out of a clean address.
 */
@Component
class LoginThrottle {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

    private final DatabaseClient db;
    private final DashboardProperties.Login limits;
    private final Counter badCredentials;
    private final Counter throttled;
    private final AtomicLong lastSweep = new AtomicLong();

    LoginThrottle(DatabaseClient db, DashboardProperties properties, MeterRegistry meters) {
        this.db = db;
        this.limits = properties.login();
        this.badCredentials = Counter.builder("switchboard.dashboard.login.failures")
                .description("Dashboard logins refused, by reason").tag("reason", "bad-credentials").register(meters);
        this.throttled = Counter.builder("switchboard.dashboard.login.failures")
                .description("Dashboard logins refused, by reason").tag("reason", "throttled").register(meters);
    }

    /** How long this attempt must wait; empty when it may be checked now. */
    Mono<Optional<Duration>> check(String username, String address) {
        String addr = addressKey(address);
        String user = userKey(username);
        String userAddr = userAddressKey(username, address);
        return db.sql("SELECT key, failures, window_start > now() - make_interval(secs => :window) AS current, "
                        + "GREATEST(0, EXTRACT(EPOCH FROM (blocked_until - now())))::float8 AS wait "
                        + "FROM login_failures WHERE key IN (:addr, :user, :userAddr)")
                .bind("window", (double) limits.window().toSeconds())
                .bind("addr", addr).bind("user", user).bind("userAddr", userAddr)
                .map((row, meta) -> new Row(row.get("key", String.class), row.get("failures", Integer.class),
                        Boolean.TRUE.equals(row.get("current", Boolean.class)),
                        Optional.ofNullable(row.get("wait", Double.class)).orElse(0d)))
                .all().collectList()
                .map(rows -> {
                    boolean failedHere = rows.stream().anyMatch(r -> r.key().equals(userAddr) && r.current()
                            && r.failures() > 0);
                    double wait = 0;
                    for (Row r : rows) {
                        if (r.key().equals(user) && !failedHere) {
                            continue;
                        }
                        wait = Math.max(wait, r.waitSeconds());
                    }
                    if (wait <= 0) {
                        return Optional.<Duration>empty();
                    }
                    throttled.increment();
                    return Optional.of(Duration.ofMillis((long) Math.ceil(wait * 1000)));
                });
    }

    /** Counts a wrong password (or an unknown username) against the three keys. */
    Mono<Void> failed(String username, String address) {
        badCredentials.increment();
        return Flux.fromIterable(List.of(
                        new Key(addressKey(address), limits.perAddress()),
                        new Key(userKey(username), limits.perUser()),
                        new Key(userAddressKey(username, address), limits.perUserAndAddress())))
                .concatMap(this::count)
                .then(sweep());
    }

    /** A right password clears this username's failures from this address (not the address's own count). */
    Mono<Void> succeeded(String username, String address) {
        return db.sql("DELETE FROM login_failures WHERE key = :key").bind("key", userAddressKey(username, address))
                .then();
    }

    private Mono<Void> count(Key key) {
        return db.sql("INSERT INTO login_failures (key, failures, window_start) VALUES (:key, 1, now()) "
                        + "ON CONFLICT (key) DO UPDATE SET "
                        + "failures = CASE WHEN login_failures.window_start < now() - make_interval(secs => :window) "
                        + "THEN 1 ELSE login_failures.failures + 1 END, "
                        + "window_start = CASE WHEN login_failures.window_start < now() - make_interval(secs => :window) "
                        + "THEN now() ELSE login_failures.window_start END "
                        + "RETURNING failures")
                .bind("key", key.key()).bind("window", (double) limits.window().toSeconds())
                .map((row, meta) -> row.get("failures", Integer.class))
                .one()
                .flatMap(failures -> {
                    Duration block = limits.blockAfter(failures, key.limit());
                    if (block.isZero()) {
                        return Mono.empty();
                    }
                    return db.sql("UPDATE login_failures SET blocked_until = now() + make_interval(secs => :block) "
                                    + "WHERE key = :key")
                            .bind("key", key.key()).bind("block", block.toMillis() / 1000.0).then();
                });
    }

    private Mono<Void> sweep() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (last != 0 && now - last < SWEEP_EVERY.toNanos() || !lastSweep.compareAndSet(last, now)) {
            return Mono.empty();
        }
        return db.sql("DELETE FROM login_failures WHERE window_start < now() - make_interval(secs => :window) "
                        + "AND (blocked_until IS NULL OR blocked_until < now())")
                .bind("window", (double) limits.window().toSeconds()).then();
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }

    private static String userKey(String username) {
        return "user:" + clip(username);
    }

    private static String userAddressKey(String username, String address) {
        return "user-addr:" + clip(username) + "|" + address;
    }

    private static String clip(String username) {
        return username.length() <= 200 ? username : username.substring(0, 200);
    }

    private record Row(String key, int failures, boolean current, double waitSeconds) {
    }

    private record Key(String key, int limit) {
    }
}
