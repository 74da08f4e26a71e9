package dev.switchboard.controlplane.tenants;

import java.util.List;

/** A business on the voice platform, and the provider identifiers its calls arrive with. */
public record Tenant(String id, String displayName, String tier, int monthlyCalls, boolean internal,
                     List<TenantIdentifier> identifiers) {

    public Tenant {
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    }
}
