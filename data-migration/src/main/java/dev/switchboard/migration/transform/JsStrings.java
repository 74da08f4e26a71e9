package dev.switchboard.migration.transform;

/** JavaScript's String.prototype.trim whitespace set (WhiteSpace + LineTerminator), which Java's strip() lacks. */
final class JsStrings {

    private JsStrings() {
    }

    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isJsWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isJsWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    static boolean isJsWhitespace(char c) {
        return c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == ' '
                || c == 0x00A0 || c == 0xFEFF || c == 0x2028 || c == 0x2029
                || Character.getType(c) == Character.SPACE_SEPARATOR;
    }
}
