package dev.switchboard.controlplane.unleash;

import dev.switchboard.contract.FlagRevisions;
import dev.switchboard.controlplane.flags.FlagState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout flag in Unleash's client form (client spec 5.x), built so that any Unleash SDK decides exactly as
 * {@code FlagEvaluator} does:
 * <ul>
 * <li>strategy A (only when the allow list is not empty): {@code flexibleRollout} at 100 % constrained to
 * {@code tenantId IN allow} and {@code tenantId NOT_IN deny};</li>
 * <li>strategy B: {@code flexibleRollout} at the flag's percentage, stickiness {@code tenantId}, groupId = flag
 * name (so the SDK's bucket is {@code TenantBucket}'s), constrained to {@code tenantId NOT_IN deny};</li>
 * <li>{@code enabled:false} when the flag is switched off (total rollback).</li>
 * </ul>
 * Strategies are OR'ed, which is why the deny constraint is repeated in each: deny must win over allow. An empty
 * {@code NOT_IN} list is left out, since it holds for every tenant anyway. Strategy B is always present: an
 * enabled Unleash feature with no strategy at all would be on for everyone.
 * <p>
 * Maps keep their insertion order so equal states serialise to equal bytes (the ETag is a hash of them).
 */
final class UnleashFeature {

    static final String CONTEXT_FIELD = "tenantId";

    private UnleashFeature() {
    }

    static Map<String, Object> of(FlagState flag) {
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("name", flag.name());
        feature.put("type", "release");
        // routers read the revision they hold from the contract's marker ("rev=<N>") in the description: it is the
        // one field that survives in the SDK's backup file, so a router cold-started from that file still knows it
        String description = flag.description() == null || flag.description().isBlank() ? "" : " " + flag.description();
        feature.put("description", FlagRevisions.marker(flag.revision()) + description);
        feature.put("project", "default");
        feature.put("enabled", flag.enabled());
        feature.put("stale", false);
        feature.put("impressionData", false);
        feature.put("strategies", strategies(flag));
        feature.put("variants", List.of());
        // not part of the Unleash spec; SDKs ignore unknown members, and routers can report what they hold
        feature.put("revision", flag.revision());
        return feature;
    }

    private static List<Map<String, Object>> strategies(FlagState flag) {
        List<Map<String, Object>> strategies = new ArrayList<>(2);
        if (!flag.allowTenants().isEmpty()) {
            List<Map<String, Object>> constraints = new ArrayList<>(2);
            constraints.add(constraint("IN", flag.allowTenants()));
            denyConstraint(flag).ifPresent(constraints::add);
            strategies.add(flexibleRollout(0, 100, flag.name(), constraints));
        }
        List<Map<String, Object>> constraints = new ArrayList<>(1);
        denyConstraint(flag).ifPresent(constraints::add);
        strategies.add(flexibleRollout(strategies.size(), flag.percentage(), flag.name(), constraints));
        return strategies;
    }

    private static java.util.Optional<Map<String, Object>> denyConstraint(FlagState flag) {
        return flag.denyTenants().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(constraint("NOT_IN", flag.denyTenants()));
    }

    private static Map<String, Object> flexibleRollout(int sortOrder, int rollout, String groupId,
                                                       List<Map<String, Object>> constraints) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        // Unleash strategy parameters are strings, the rollout included
        parameters.put("rollout", String.valueOf(rollout));
        parameters.put("stickiness", CONTEXT_FIELD);
        parameters.put("groupId", groupId);
        Map<String, Object> strategy = new LinkedHashMap<>();
        strategy.put("name", "flexibleRollout");
        strategy.put("sortOrder", sortOrder);
        strategy.put("constraints", List.copyOf(constraints));
        strategy.put("parameters", parameters);
        strategy.put("segments", List.of());
        strategy.put("variants", List.of());
        return strategy;
    }

    private static Map<String, Object> constraint(String operator, List<String> tenants) {
        Map<String, Object> constraint = new LinkedHashMap<>();
        constraint.put("contextName", CONTEXT_FIELD);
        constraint.put("operator", operator);
        constraint.put("values", tenants);
        constraint.put("inverted", false);
        constraint.put("caseInsensitive", false);
        return constraint;
    }
}
