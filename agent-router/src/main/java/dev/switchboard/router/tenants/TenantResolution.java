package dev.switchboard.router.tenants;

import java.util.Optional;

/** Which tenant an event belongs to; empty when no identifier is registered (the event then goes to v1). */
public record TenantResolution(Optional<String> tenantId, Optional<Identifier> matchedBy) {

    public static final String UNRESOLVED = "_unresolved";

    public static TenantResolution unresolved() {
        return new TenantResolution(Optional.empty(), Optional.empty());
    }

    public String tenantOrUnresolved() {
        return tenantId.orElse(UNRESOLVED);
    }
}
