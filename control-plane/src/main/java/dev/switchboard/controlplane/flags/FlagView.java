package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.confirmations.FlagConfirmation;
import java.time.OffsetDateTime;
import java.util.List;

/** {@code GET /api/v1/flags/{flag}}: the flag's state and whether its current revision reached every live router. */
record FlagView(String name, String description, boolean enabled, int percentage, List<String> allowTenants,
                List<String> denyTenants, long revision, String stage, OffsetDateTime updatedAt, String updatedBy,
                FlagConfirmation confirmation) {

    static FlagView of(FlagState s, FlagConfirmation confirmation) {
        return new FlagView(s.name(), s.description(), s.enabled(), s.percentage(), s.allowTenants(), s.denyTenants(),
                s.revision(), s.stage(), s.updatedAt(), s.updatedBy(), confirmation);
    }
}
