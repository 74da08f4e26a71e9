package dev.switchboard.controlplane.dashboard;

import java.util.Comparator;
import java.util.Map;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Checks a dashboard password with the same work whether or not the username exists: an unknown name is
 * checked against the hash of the configured user with the highest bcrypt cost (and refused whatever the
 * result), so the time to refuse tells an attacker nothing about which names exist, as long as every user's
 * hash has the same cost (a warning at start says when they do not). Checks run on a small
 * scheduler of their own (half the cores), so a flood of logins queues there instead of taking every core
 * from the API and the routers' client API.
 */
final class PasswordLogins implements ReactiveAuthenticationManager {

    /** bcrypt cost 10 of a random password nobody knows, for an installation without users. */
    private static final String NOBODY = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z5kYf.UwTmQDlmkvD5h6ZRBC";

    private final Map<String, UserDetails> users;
    private final String decoy;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder();
    private final Scheduler checks;

    PasswordLogins(Map<String, UserDetails> users) {
        this.users = Map.copyOf(users);
        this.decoy = users.values().stream().map(UserDetails::getPassword)
                .max(Comparator.comparingInt(PasswordLogins::cost)).orElse(NOBODY);
        long costs = users.values().stream().map(u -> cost(u.getPassword())).distinct().count();
        if (costs > 1) {
            org.slf4j.LoggerFactory.getLogger(PasswordLogins.class).warn("dashboard users' bcrypt hashes have "
                    + "different costs: a refusal's time tells which names exist; give every user the same cost");
        }
        this.checks = Schedulers.newBoundedElastic(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                10_000, "password-check", 60, true);
    }

    @Override
    public Mono<Authentication> authenticate(Authentication request) {
        String username = request.getName();
        String password = request.getCredentials() == null ? "" : request.getCredentials().toString();
        return Mono.fromCallable(() -> {
            UserDetails user = username == null ? null : users.get(username);
            boolean matches = encoder.matches(password, user == null ? decoy : user.getPassword());
            if (user == null || !matches) {
                throw new BadCredentialsException("Invalid Credentials");
            }
            // the stored login holds no password hash
            UserDetails principal = User.withUsername(user.getUsername()).password("")
                    .authorities(user.getAuthorities()).build();
            return (Authentication) UsernamePasswordAuthenticationToken.authenticated(principal, null,
                    principal.getAuthorities());
        }).subscribeOn(checks);
    }

    /** The cost factor of a bcrypt hash ({@code $2y$10$...} → 10); 0 when it is not one. */
    static int cost(String hash) {
        try {
            return Integer.parseInt(hash.substring(4, 6));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
