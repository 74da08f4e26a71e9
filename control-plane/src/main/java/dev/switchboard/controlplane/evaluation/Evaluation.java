package dev.switchboard.controlplane.evaluation;

/**
 * The decision for one tenant and the reason for it; never an exception.
 *
 * @param bucket the tenant's hash bucket (1..100), reported even when another rule decided
 */
public record Evaluation(String tenantId, Variant variant, Reason reason, int bucket, int percentage,
                         long revision) {
}
