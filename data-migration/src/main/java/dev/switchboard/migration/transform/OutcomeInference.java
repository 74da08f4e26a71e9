package dev.switchboard.migration.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code voice_calls.outcome} inferred from {@code status} where the outcome is missing. Statuses of calls that
 * have not finished, and unknown statuses, stay without an outcome rather than getting a guess. Business outcomes
 * (reservation_created, appointment_created, order_created) cannot be read from a status and are never invented.
 * <p>The same table drives the set-based SQL ({@link #sqlCase(String)}), so the rule lives in one place.
 */
public final class OutcomeInference {

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String TRANSFERRED_TO_HUMAN = "transferred_to_human";
    public static final String ABANDONED = "abandoned";

    private static final Map<String, String> BY_STATUS = table();

    private static Map<String, String> table() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("completed", COMPLETED);
        m.put("ended", COMPLETED);
        m.put("failed", FAILED);
        m.put("error", FAILED);
        m.put("transferred", TRANSFERRED_TO_HUMAN);
        m.put("forwarded", TRANSFERRED_TO_HUMAN);
        m.put("transferred_to_human", TRANSFERRED_TO_HUMAN);
        m.put("no_answer", ABANDONED);
        m.put("no-answer", ABANDONED);
        m.put("busy", ABANDONED);
        m.put("canceled", ABANDONED);
        m.put("cancelled", ABANDONED);
        m.put("abandoned", ABANDONED);
        return Map.copyOf(m);
    }

    private OutcomeInference() {
    }

    /** The outcome for a status (case and surrounding blanks ignored); empty for unfinished or unknown ones. */
    public static Optional<String> fromStatus(String status) {
        if (status == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_STATUS.get(status.trim().toLowerCase(Locale.ROOT)));
    }

    /** The whole mapping, status (lower case) to outcome. */
    public static Map<String, String> rules() {
        return BY_STATUS;
    }

    /** The same mapping as a SQL CASE over a status column expression; NULL when no rule applies. */
    public static String sqlCase(String statusExpression) {
        Map<String, List<String>> byOutcome = BY_STATUS.entrySet().stream()
                .collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new,
                        Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        StringBuilder out = new StringBuilder("(CASE");
        byOutcome.forEach((outcome, statuses) -> out.append(" WHEN lower(btrim(").append(statusExpression)
                .append(")) IN (").append(statuses.stream().sorted().map(s -> "'" + s + "'")
                        .collect(Collectors.joining(", ")))
                .append(") THEN '").append(outcome).append("'"));
        return out.append(" END)").toString();
    }
}
