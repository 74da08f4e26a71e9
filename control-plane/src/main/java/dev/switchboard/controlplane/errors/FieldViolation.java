package dev.switchboard.controlplane.errors;

/**
 * One broken rule on one input field, as the caller sees it in the problem body.
 *
 * @param field   JSON path of the field, e.g. {@code percentage} or {@code rows[3].id}
 * @param rule    short machine-readable rule, e.g. {@code required}, {@code integer}, {@code max}
 * @param message what a person should fix
 */
public record FieldViolation(String field, String rule, String message) {
}
