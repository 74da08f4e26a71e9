package dev.switchboard.controlplane.tenants;

/**
 * One provider identifier mapped to a tenant, e.g. (vapi, phone_number_id, pn_123) or (twilio, number, +1800…).
 */
public record TenantIdentifier(String provider, String kind, String value, String tenantId) {
}
