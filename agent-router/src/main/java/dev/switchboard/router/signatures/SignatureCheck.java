package dev.switchboard.router.signatures;

import java.util.Optional;

/**
 * Outcome of a signature check. {@code keyTenant} is set when the matching secret is a tenant's own
 * secret: the event must then resolve to that tenant, otherwise one tenant could speak for another.
 */
public record SignatureCheck(boolean valid, String reason, Optional<String> keyTenant) {

    public static SignatureCheck ok(Optional<String> keyTenant) {
        return new SignatureCheck(true, "ok", keyTenant);
    }

    public static SignatureCheck failed(String reason) {
        return new SignatureCheck(false, reason, Optional.empty());
    }

    public static SignatureCheck notRequired() {
        return new SignatureCheck(true, "verification disabled", Optional.empty());
    }
}
