package dev.switchboard.router.tenants;

/** A provider-side identifier of a call's destination, e.g. (vapi, phone_number_id, pn_1). */
public record Identifier(String provider, String kind, String value) {

    /** Value safe for logs: phone numbers keep country/area prefix and last three digits only. */
    public String masked() {
        return LogMasking.mask(kind, value);
    }
}
