package dev.switchboard.router.tenants;

/** Phone numbers never reach a log line in full (+18005551212 → +1800****212). */
public final class LogMasking {

    private LogMasking() {}

    public static String mask(String kind, String value) {
        if (value == null) {
            return "null";
        }
        boolean phoneLike = "number".equals(kind) || value.matches("\\+?[0-9 ()\\-]{7,}");
        if (!phoneLike) {
            return value;
        }
        if (value.length() <= 8) {
            return "****" + value.substring(Math.max(0, value.length() - 2));
        }
        return value.substring(0, 5) + "****" + value.substring(value.length() - 3);
    }
}
