package dev.switchboard.controlplane.web;

import dev.switchboard.controlplane.errors.InvalidInput;

/**
 * What text we accept from people and programs: no control characters. NUL cannot be stored by PostgreSQL at
 * all, and the rest of C0 and DEL only ever arrive by accident or from an attacker (terminal escapes in an audit
 * reason). Tab, line feed and carriage return are accepted in free text (a reason typed in a text area), never
 * in a query parameter or a path.
 */
public final class TextRules {

    public static final String RULE = "no-control-characters";
    static final String CONTROL_MESSAGE = "must not contain control characters (NUL, U+0001-U+001F, DEL)";

    private TextRules() {
    }

    /** Index of the first refused character, or -1; {@code freeText} lets tab and line breaks through. */
    public static int controlCharacter(CharSequence value, boolean freeText) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (freeText && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return i;
            }
        }
        return -1;
    }

    /** Throws the 400 naming {@code field} when {@code value} holds a control character. */
    public static void check(String field, String value, boolean freeText) {
        if (value != null && controlCharacter(value, freeText) >= 0) {
            throw new InvalidInput(field, RULE, CONTROL_MESSAGE);
        }
    }

    /** The same rule through free-form JSON (maps, lists, text) such as an event's details; keys count too. */
    public static void checkNested(String field, Object value) {
        if (value instanceof String text) {
            check(field, text, true);
        } else if (value instanceof java.util.Map<?, ?> map) {
            for (java.util.Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                check(field, key, false);
                checkNested(field + "." + key, entry.getValue());
            }
        } else if (value instanceof java.util.List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkNested(field + "[" + i + "]", list.get(i));
            }
        }
    }
}
