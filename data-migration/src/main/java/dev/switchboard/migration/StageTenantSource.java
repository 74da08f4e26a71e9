package dev.switchboard.migration;

import java.util.Set;

/**
 * The tenants the next rollout stage moves to v2, so that data moves with the rollout ({@code --stage next}). The
 * CLI implements it with the control plane's {@code GET /api/v1/flags/{flag}/preview?percentage=N}; the migration
 * itself only ever receives the resulting set (see {@link MigrationOptions#tenantIds()}).
 */
@FunctionalInterface
public interface StageTenantSource {

    Set<String> tenantsOfNextStage();
}
