package dev.switchboard.router.intake;

import dev.switchboard.router.decision.Variant;

/**
 * What the webhook pipeline needs from a flag system: which variant a tenant's new call goes to. The pipeline
 * owns this interface (as OpenFeature's provider SPI): the Unleash-backed implementation and its workarounds for
 * the SDK live behind it, and the pipeline's steps are tested with a plain lambda.
 */
@FunctionalInterface
public interface FlagDecision {

    /** The variant for a resolved tenant; never throws, never blocks on the network. */
    Variant decide(String tenantId);
}
