package dev.switchboard.controlplane.security;

import dev.switchboard.contract.Identifiers;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tokens accepted without a database row: the bootstrap admin token (scripts, CI, the demo), the client token
 * Unleash SDKs use, and router tokens. Any may be empty, which disables it.
 *
 * @param routerToken router credentials given at start ({@code SWITCHBOARD_ROUTER_TOKEN}): comma-separated
 *                    entries {@code <router-id>:<secret>}; a router presents its whole entry as its token and
 *                    may only speak for the router id before the colon
 */
@ConfigurationProperties("switchboard.security")
public record SecurityProperties(String bootstrapAdminToken, String clientToken, String routerToken) {

    /** One configured router credential: the router it is bound to and the full token the router presents. */
    public record RouterCredential(String routerId, String token) {
    }

    public SecurityProperties {
        routerCredentials(routerToken); // refuse a malformed entry at start, naming it
    }

    public List<RouterCredential> routerCredentials() {
        return routerCredentials(routerToken);
    }

    private static List<RouterCredential> routerCredentials(String value) {
        List<RouterCredential> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        int n = 0;
        for (String entry : value.split(",")) {
            n++;
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("switchboard.security.router-token entry " + n
                        + " must be <router-id>:<secret>");
            }
            String id = e.substring(0, colon);
            if (!Identifiers.validRouterId(id) || id.contains(":")) {
                throw new IllegalArgumentException("switchboard.security.router-token entry " + n
                        + ": the router id must be " + Identifiers.ROUTER_ID_RULE + " without ':'");
            }
            if (e.length() - colon - 1 < 16) {
                throw new IllegalArgumentException("switchboard.security.router-token entry " + n
                        + " (router " + id + "): the secret must have at least 16 characters");
            }
            out.add(new RouterCredential(id, e));
        }
        return List.copyOf(out);
    }
}
