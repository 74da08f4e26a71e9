package dev.switchboard.controlplane.security;

/**
 * The authenticated party behind a request: a token's (or a person's) name and role.
 *
 * @param name the actor recorded in the audit log; never the token itself
 */
public record Caller(String name, Role role) {

    public boolean atLeast(Role required) {
        return role.atLeast(required);
    }
}
