package dev.switchboard.controlplane.evaluation;

/**
 * The v1/v2 decision, with no Spring and no Reactor so it can be read, tested and reused anywhere.
 * Order: disabled → v1; denied → v1 (deny always wins); allowed → v2; bucket ≤ percentage → v2; else v1.
 */
public final class FlagEvaluator {

    private FlagEvaluator() {
    }

    public static Evaluation evaluate(RolloutRule rule, String tenantId) {
        int bucket = TenantBucket.of(rule.flag(), tenantId);
        if (!rule.enabled()) {
            return result(rule, tenantId, Variant.V1, Reason.DISABLED, bucket);
        }
        if (rule.deny().contains(tenantId)) {
            return result(rule, tenantId, Variant.V1, Reason.DENIED, bucket);
        }
        if (rule.allow().contains(tenantId)) {
            return result(rule, tenantId, Variant.V2, Reason.ALLOWED, bucket);
        }
        Variant variant = bucket <= rule.percentage() ? Variant.V2 : Variant.V1;
        return result(rule, tenantId, variant, Reason.BUCKET, bucket);
    }

    private static Evaluation result(RolloutRule rule, String tenantId, Variant variant, Reason reason, int bucket) {
        return new Evaluation(tenantId, variant, reason, bucket, rule.percentage(), rule.revision());
    }
}
