package dev.switchboard.contract;

import java.util.regex.Pattern;

/**
 * The identifier rules of the wire: router ids, flag names and tenant ids. Tenant ids that break the rule
 * never reach the metric windows: {@link #tenantForMetrics(String)} puts their traffic under
 * {@link #UNRESOLVED}, so one odd webhook cannot make a router's windows unacceptable.
 */
public final class Identifiers {

    /** Traffic whose tenant is unknown or not a valid tenant id. */
    public static final String UNRESOLVED = "_unresolved";

    public static final String ROUTER_ID_RULE = "1-128 letters, digits or _.:@- starting with a letter or digit";
    public static final String FLAG_RULE = "1-100 lower-case letters, digits or _.- starting with a letter or digit";
    public static final String TENANT_RULE = "1-128 letters, digits or _.:@- starting with a letter or digit";

    private static final Pattern ROUTER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
    private static final Pattern FLAG = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");

    private Identifiers() {
    }

    public static boolean validRouterId(String id) {
        return id != null && ROUTER_ID.matcher(id).matches();
    }

    public static boolean validFlag(String name) {
        return name != null && FLAG.matcher(name).matches();
    }

    /** A tenant id as a tenant may be named (not {@link #UNRESOLVED}). */
    public static boolean validTenant(String id) {
        return id != null && TENANT.matcher(id).matches();
    }

    /** A tenant id as it may appear in a metric series: a valid tenant id or {@link #UNRESOLVED}. */
    public static boolean validMetricTenant(String id) {
        return UNRESOLVED.equals(id) || validTenant(id);
    }

    /** The tenant a metric series is recorded under: the id itself when valid, else {@link #UNRESOLVED}. */
    public static String tenantForMetrics(String id) {
        return validTenant(id) ? id : UNRESOLVED;
    }
}
