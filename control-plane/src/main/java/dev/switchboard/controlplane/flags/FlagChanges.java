package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.changes.ChangeNotifier;
import dev.switchboard.controlplane.errors.AlreadyExists;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.errors.StaleRevision;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The only way flags change. Each change is one transaction: lock the flag row, check the caller's revision,
 * check the role the command needs, compute the new settings, write them, then the audit event, the snapshot
 * and the NOTIFY. Either all of it commits or none of it does; two callers on the same flag take turns on the
 * row lock, so no update is ever lost.
 */
@Service
public class FlagChanges {

    private final FlagStore flags;
    private final AuditLog audit;
    private final ChangeNotifier notifier;
    private final TransactionalOperator tx;
    private final java.util.List<ChangeChecks> checks;

    FlagChanges(FlagStore flags, AuditLog audit, ChangeNotifier notifier, TransactionalOperator tx,
                java.util.List<ChangeChecks> checks) {
        this.flags = flags;
        this.audit = audit;
        this.notifier = notifier;
        this.tx = tx;
        this.checks = java.util.List.copyOf(checks);
    }

    public Mono<ChangeOutcome> apply(String flag, FlagCommand command, ChangeContext context) {
        Mono<ChangeOutcome> change = flags.lockRevision(flag)
                .switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)))
                .then(flags.find(flag))
                .flatMap(before -> {
                    if (context.expectedRevision().isPresent() && context.expectedRevision().get() != before.revision()) {
                        return Mono.error(new StaleRevision(context.expectedRevision().get(), before.revision(), before));
                    }
                    Role required = command.requiredRole(before);
                    if (!context.caller().atLeast(required)) {
                        return Mono.error(new NotPermitted(command.action() + " with these values needs the "
                                + required.wireName() + " role; you are " + context.caller().role().wireName()));
                    }
                    FlagState.Settings desired = command.apply(before);
                    if (desired.equals(before.settings())) {
                        return Mono.just(new ChangeOutcome(before, false));
                    }
                    return write(before, desired, command, context);
                });
        return change.as(tx::transactional);
    }

    private Mono<ChangeOutcome> write(FlagState before, FlagState.Settings desired, FlagCommand command,
                                      ChangeContext context) {
        String actor = context.caller().name();
        long revision = before.revision() + 1;
        return reactor.core.publisher.Flux.fromIterable(checks).concatMap(c -> c.beforeWrite(before, desired, context))
                .then(flags.updateCore(before.name(), desired.enabled(), desired.percentage(), revision, actor))
                .then(syncOverrides(before, desired, context))
                .then(flags.find(before.name()))
                .flatMap(after -> audit.append(AuditEvent.of(context.caller(), command.action(), after.name(),
                                command.tenant().orElse(null), before, after, context.reason(),
                                context.requestId().orElse(null)))
                        .then(flags.insertSnapshot(after, actor, context.reason()))
                        .then(notifier.flagChanged(after))
                        .thenReturn(new ChangeOutcome(after, true)));
    }

    /** Writes only the override rows that differ, so concurrent edits of other tenants are untouched. */
    private Mono<Void> syncOverrides(FlagState before, FlagState.Settings desired, ChangeContext context) {
        Set<String> allowBefore = Set.copyOf(before.allowTenants());
        Set<String> denyBefore = Set.copyOf(before.denyTenants());
        Mono<Void> work = Mono.empty();
        for (String tenant : desired.allowTenants()) {
            if (!allowBefore.contains(tenant)) {
                work = work.then(flags.putOverride(before.name(), tenant, OverrideMode.ALLOW, context.reason(),
                        context.caller().name()));
            }
        }
        for (String tenant : desired.denyTenants()) {
            if (!denyBefore.contains(tenant)) {
                work = work.then(flags.putOverride(before.name(), tenant, OverrideMode.DENY, context.reason(),
                        context.caller().name()));
            }
        }
        Set<String> keep = new HashSet<>(desired.allowTenants());
        keep.addAll(desired.denyTenants());
        Set<String> had = new HashSet<>(allowBefore);
        had.addAll(denyBefore);
        for (String tenant : had) {
            if (!keep.contains(tenant)) {
                work = work.then(flags.deleteOverride(before.name(), tenant));
            }
        }
        return work;
    }

    /** Creates a flag switched off at 0%, with its first snapshot. */
    public Mono<FlagState> create(String name, String description, Caller caller, ChangeContext context) {
        Mono<FlagState> create = flags.exists(name)
                .flatMap(exists -> exists ? Mono.error(new AlreadyExists("flag", name))
                        : flags.insert(name, description, caller.name()))
                .then(flags.find(name))
                .flatMap(created -> audit.append(AuditEvent.of(caller, "flag.created", name, null, null, created,
                                context.reason(), context.requestId().orElse(null)))
                        .then(flags.insertSnapshot(created, caller.name(), "created"))
                        .then(notifier.flagChanged(created))
                        .thenReturn(created));
        return create.as(tx::transactional);
    }
}
