package dev.switchboard.router.intake;

import dev.switchboard.contract.Identifiers;

/**
 * The tenant-id rule of the wire contract ({@link Identifiers}), applied where a tenant id enters the router from a
 * request (the generic intake's tenant header, a provider URL's tenant hint, an event's explicit tenant). One call,
 * one place: a refused id is a 400 naming the field and the rule.
 */
final class TenantIds {

    private TenantIds() {}

    /** The id itself when valid; otherwise a 400 naming the field and the rule. */
    static String require(String id, String field) {
        if (!Identifiers.validTenant(id)) {
            throw WebhookRejection.badRequest("invalid_tenant_id", field, "tenant id must be " + Identifiers.TENANT_RULE);
        }
        return id;
    }
}
