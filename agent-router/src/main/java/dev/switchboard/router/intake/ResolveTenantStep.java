package dev.switchboard.router.intake;

import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.tenants.IdentifierRegistry;
import dev.switchboard.router.tenants.TenantResolution;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Step 4, resolve tenant: the event's explicit tenant or its identifiers; a tenant's own secret only speaks for
 * that tenant, and a URL tenant hint must agree with the tenant the event resolves to.
 */
@Component
class ResolveTenantStep {

    private final IdentifierRegistry registry;
    private final RouterMetrics metrics;

    ResolveTenantStep(IdentifierRegistry registry, RouterMetrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    WebhookExchange apply(WebhookExchange x) {
        TenantResolution tenant = x.event.explicitTenant()
                .map(t -> new TenantResolution(Optional.of(TenantIds.require(t, "tenant")), Optional.empty()))
                .orElseGet(() -> registry.resolve(x.event.identifiers()));
        if (x.signature.keyTenant().isPresent() && !x.signature.keyTenant().equals(tenant.tenantId())) {
            metrics.signatureFailure(x.providerId(), "key_of_other_tenant");
            throw new WebhookRejection(401, "invalid_signature", VerifyStep.signatureHeader(x.provider),
                    "signed with a tenant secret that does not belong to this event's tenant");
        }
        if (tenant.tenantId().isEmpty()) {
            metrics.unresolvedTenant(x.providerId());
        }
        x.tenant = tenant;
        return x;
    }
}
