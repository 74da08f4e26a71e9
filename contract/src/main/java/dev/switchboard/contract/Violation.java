package dev.switchboard.contract;

/** One broken rule: the field (JSON path), the rule's short name and what the field must be. */
public record Violation(String field, String rule, String message) {
}
