package dev.switchboard.controlplane.flags;

import reactor.core.publisher.Mono;

/**
 * A feature's say in a flag change, inside the change's transaction, before it is written: refuse it (an error)
 * or record what it affects (its own audit events). Features depending on flags implement it; flags never
 * depend on them.
 */
public interface ChangeChecks {

    Mono<Void> beforeWrite(FlagState before, FlagState.Settings desired, ChangeContext context);
}
