package dev.switchboard.controlplane.security;

import java.util.Optional;

/**
 * The authenticated party behind a request: a token's (or a person's) name and role, and for a router token the
 * one router id it is bound to.
 *
 * @param name     the actor recorded in the audit log; never the token itself
 * @param routerId the router a {@code router} token speaks for; empty for every other role
 */
public record Caller(String name, Role role, Optional<String> routerId) {

    public Caller {
        routerId = routerId == null ? Optional.empty() : routerId;
    }

    public Caller(String name, Role role) {
        this(name, role, Optional.empty());
    }

    /** A router token's caller. */
    public static Caller router(String name, String routerId) {
        return new Caller(name, Role.ROUTER, Optional.of(routerId));
    }

    public boolean atLeast(Role required) {
        return role.atLeast(required);
    }

    /** Whether this caller may speak for the router {@code id}. */
    public boolean speaksFor(String id) {
        return role == Role.ROUTER && routerId.map(r -> r.equals(id)).orElse(false);
    }
}
