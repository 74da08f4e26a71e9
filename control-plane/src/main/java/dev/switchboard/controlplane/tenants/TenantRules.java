package dev.switchboard.controlplane.tenants;

import dev.switchboard.controlplane.errors.FieldViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import dev.switchboard.controlplane.web.TextRules;

/**
 * What makes a tenant record acceptable, checked before anything is written so that an import is all or
 * nothing. The same rules as the database CHECKs, with messages a person can act on.
 */
final class TenantRules {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
    static final Map<String, Set<String>> KINDS = Map.of(
            "vapi", Set.of("phone_number_id", "number", "assistant_id", "org_id"),
            "twilio", Set.of("number"),
            "retell", Set.of("number", "agent_id"),
            "generic", Set.of("tenant_key"));

    private static final String CONTROL = "must not contain control characters (NUL, U+0001-U+001F, DEL)";

    private TenantRules() {
    }

    static List<FieldViolation> check(String prefix, Tenant tenant) {
        List<FieldViolation> errors = new ArrayList<>();
        if (tenant.id() == null || tenant.id().isBlank()) {
            errors.add(new FieldViolation(prefix + "id", "required", "is required"));
        } else if (!ID.matcher(tenant.id()).matches()) {
            errors.add(new FieldViolation(prefix + "id", "pattern",
                    "must be 1-128 letters, digits or _.:@- and start with a letter or digit"));
        }
        if (tenant.displayName() == null || tenant.displayName().isBlank()) {
            errors.add(new FieldViolation(prefix + "displayName", "required", "is required"));
        } else if (tenant.displayName().length() > 200) {
            errors.add(new FieldViolation(prefix + "displayName", "size", "must be at most 200 characters"));
        }
        if (tenant.displayName() != null && TextRules.controlCharacter(tenant.displayName(), false) >= 0) {
            errors.add(new FieldViolation(prefix + "displayName", TextRules.RULE, CONTROL));
        }
        if (tenant.tier() != null && TextRules.controlCharacter(tenant.tier(), false) >= 0) {
            errors.add(new FieldViolation(prefix + "tier", TextRules.RULE, CONTROL));
        }
        if (tenant.tier() != null && tenant.tier().length() > 40) {
            errors.add(new FieldViolation(prefix + "tier", "size", "must be at most 40 characters"));
        }
        if (tenant.monthlyCalls() < 0) {
            errors.add(new FieldViolation(prefix + "monthlyCalls", "min", "must be 0 or more"));
        }
        for (int i = 0; i < tenant.identifiers().size(); i++) {
            TenantIdentifier identifier = tenant.identifiers().get(i);
            String p = prefix + "identifiers[" + i + "].";
            Set<String> kinds = identifier.provider() == null ? null : KINDS.get(identifier.provider());
            if (kinds == null) {
                errors.add(new FieldViolation(p + "provider", "one-of", "must be one of " + KINDS.keySet()));
            } else if (!kinds.contains(identifier.kind())) {
                errors.add(new FieldViolation(p + "kind", "one-of", "for " + identifier.provider()
                        + " must be one of " + kinds));
            }
            if (identifier.value() == null || identifier.value().isBlank() || identifier.value().length() > 200) {
                errors.add(new FieldViolation(p + "value", "required", "is required (at most 200 characters)"));
            } else if (TextRules.controlCharacter(identifier.value(), false) >= 0) {
                errors.add(new FieldViolation(p + "value", TextRules.RULE, CONTROL));
            }
        }
        return errors;
    }
}
