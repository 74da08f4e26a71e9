package dev.switchboard.controlplane.security;

import java.util.List;
import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who may do what. People: viewer < operator < admin, each role holding the ones below it. Machines hold one of
 * two separate roles: {@code client} (an Unleash SDK: the client API only) and {@code router} (an agent router,
 * bound to one router id: the client API, its own metric windows and the identifier registry).
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN, CLIENT, ROUTER;

    /** A role for machines, never for people. */
    public boolean machine() {
        return this == CLIENT || this == ROUTER;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean atLeast(Role other) {
        if (machine() || other.machine()) {
            return this == other;
        }
        return ordinal() >= other.ordinal();
    }

    List<GrantedAuthority> authorities() {
        return switch (this) {
            case ADMIN -> List.of(authority(ADMIN), authority(OPERATOR), authority(VIEWER));
            case OPERATOR -> List.of(authority(OPERATOR), authority(VIEWER));
            case VIEWER -> List.of(authority(VIEWER));
            case CLIENT -> List.of(authority(CLIENT));
            case ROUTER -> List.of(authority(ROUTER));
        };
    }

    private static GrantedAuthority authority(Role role) {
        return new SimpleGrantedAuthority("ROLE_" + role.name());
    }
}
