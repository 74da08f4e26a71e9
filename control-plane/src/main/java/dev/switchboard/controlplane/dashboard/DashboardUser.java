package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** A logged-in person as the services know callers: their name and their highest role. */
final class DashboardUser {

    private DashboardUser() {
    }

    static Caller caller(Authentication authentication) {
        Role best = Role.VIEWER;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith("ROLE_")) {
                Role role = Role.valueOf(name.substring(5));
                if (!role.machine() && role.atLeast(best)) {
                    best = role;
                }
            }
        }
        return new Caller(authentication.getName(), best);
    }
}
