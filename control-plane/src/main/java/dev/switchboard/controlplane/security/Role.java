package dev.switchboard.controlplane.security;

import java.util.List;
import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who may do what. People: viewer < operator < admin, each role holding the ones below it. Routers and SDKs
 * hold the separate {@code router} role: they read flags and push metrics, nothing else.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN, ROUTER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean atLeast(Role other) {
        if (this == ROUTER || other == ROUTER) {
            return this == other;
        }
        return ordinal() >= other.ordinal();
    }

    List<GrantedAuthority> authorities() {
        return switch (this) {
            case ADMIN -> List.of(authority(ADMIN), authority(OPERATOR), authority(VIEWER));
            case OPERATOR -> List.of(authority(OPERATOR), authority(VIEWER));
            case VIEWER -> List.of(authority(VIEWER));
            case ROUTER -> List.of(authority(ROUTER));
        };
    }

    private static GrantedAuthority authority(Role role) {
        return new SimpleGrantedAuthority("ROLE_" + role.name());
    }
}
