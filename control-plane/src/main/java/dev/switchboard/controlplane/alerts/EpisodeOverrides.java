package dev.switchboard.controlplane.alerts;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.flags.ChangeChecks;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.FlagState;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Re-enabling a flag (or re-allowing a tenant) whose last episode is still unresolved overrides that episode's
 * rollback: the change needs a reason, and the audit records which alert it overrides ({@code alert.overridden},
 * in the change's transaction). The episode stays unresolved until v2 is healthy for the resolve period or an
 * operator acknowledges it; a new breach meanwhile is a new episode.
 */
@Component
class EpisodeOverrides implements ChangeChecks {

    private final AlertStore alerts;
    private final AuditLog audit;

    EpisodeOverrides(AlertStore alerts, AuditLog audit) {
        this.alerts = alerts;
        this.audit = audit;
    }

    @Override
    public Mono<Void> beforeWrite(FlagState before, FlagState.Settings desired, ChangeContext context) {
        boolean reEnabled = !before.enabled() && desired.enabled();
        Set<String> reAllowed = new HashSet<>(before.denyTenants());
        reAllowed.removeAll(desired.denyTenants());
        if (!reEnabled && reAllowed.isEmpty()) {
            return Mono.empty();
        }
        return alerts.unresolvedCritical(before.name())
                .filter(a -> a.tenant().map(reAllowed::contains).orElse(reEnabled))
                .collectList()
                .flatMap(overridden -> overridden.isEmpty() ? Mono.<Void>empty() : record(before, overridden, context));
    }

    private Mono<Void> record(FlagState before, List<AlertStore.OpenAlert> overridden, ChangeContext context) {
        if (context.reason() == null || context.reason().isBlank()) {
            return Mono.error(new InvalidInput("reason", "required", "this change overrides the rollback of unresolved "
                    + "alert #" + overridden.get(0).id() + " (episode " + overridden.get(0).episode()
                    + "): give a reason"));
        }
        return Flux.fromIterable(overridden).concatMap(a -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("alertId", a.id());
            details.put("episode", a.episode());
            details.put("rule", a.rule());
            details.put("dedupKey", a.dedupKey());
            details.put("revision", before.revision() + 1);
            return audit.append(AuditEvent.of(context.caller(), "alert.overridden", before.name(),
                    a.tenant().orElse(null), null, details, context.reason(), context.requestId().orElse(null)));
        }).then();
    }

}
