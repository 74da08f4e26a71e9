package dev.switchboard.contract;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flag-revision map a router reports (flag name → the revision its SDK decides with), and how the control
 * plane tells the SDK a flag's revision: {@code rev=<N>} in the feature's description.
 */
public final class FlagRevisions {

    /** More flags than this in one report is not a router. */
    public static final int MAX_FLAGS = 1000;
    private static final Pattern REV = Pattern.compile("(?:^|\\W)rev=(\\d{1,18})(?:\\W|$)");

    private FlagRevisions() {
    }

    /** The marker the control plane puts in a feature's description. */
    public static String marker(long revision) {
        return "rev=" + revision;
    }

    /** The revision carried by a feature description, if any. */
    public static Optional<Long> fromDescription(String description) {
        if (description == null) {
            return Optional.empty();
        }
        Matcher m = REV.matcher(description);
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Whether a reported map is acceptable: valid flag names, revisions from 0, at most {@link #MAX_FLAGS}. */
    static void check(Map<String, Long> revisions, java.util.List<Violation> out) {
        if (revisions == null) {
            return;
        }
        if (revisions.size() > MAX_FLAGS) {
            out.add(new Violation("flagRevisions", "size", "must have at most " + MAX_FLAGS + " flags"));
            return;
        }
        for (Map.Entry<String, Long> e : revisions.entrySet()) {
            if (!Identifiers.validFlag(e.getKey())) {
                out.add(new Violation("flagRevisions", "pattern", "keys must be flag names (" + Identifiers.FLAG_RULE + ")"));
            } else if (e.getValue() == null || e.getValue() < 0) {
                out.add(new Violation("flagRevisions." + e.getKey(), "min", "must be a revision >= 0"));
            }
        }
    }
}
