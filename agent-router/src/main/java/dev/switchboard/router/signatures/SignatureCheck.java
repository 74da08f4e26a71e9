package dev.switchboard.router.signatures;

import java.util.Optional;

/**
 * Outcome of a signature check. {@code keyTenant} is set when the matching secret is a tenant's own
 * secret: the event must then resolve to that tenant, otherwise one tenant could speak for another.
 * {@code secretsTried}: how many secrets were checked (bounded by the tenant hint: at most two HMACs).
 */
public record SignatureCheck(boolean valid, String reason, Optional<String> keyTenant, int secretsTried) {

    public static SignatureCheck ok(Optional<String> keyTenant, int secretsTried) {
        return new SignatureCheck(true, "ok", keyTenant, secretsTried);
    }

    public static SignatureCheck failed(String reason, int secretsTried) {
        return new SignatureCheck(false, reason, Optional.empty(), secretsTried);
    }

    public static SignatureCheck failed(String reason) {
        return failed(reason, 0);
    }

    public static SignatureCheck notRequired() {
        return new SignatureCheck(true, "verification disabled", Optional.empty(), 0);
    }
}
