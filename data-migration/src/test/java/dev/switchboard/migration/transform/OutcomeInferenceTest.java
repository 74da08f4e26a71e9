package dev.switchboard.migration.transform;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeInferenceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "completed, completed",
            "COMPLETED, completed",
            "' ended ', completed",
            "failed, failed",
            "error, failed",
            "transferred, transferred_to_human",
            "forwarded, transferred_to_human",
            "transferred_to_human, transferred_to_human",
            "no-answer, abandoned",
            "no_answer, abandoned",
            "busy, abandoned",
            "canceled, abandoned",
            "cancelled, abandoned",
            "abandoned, abandoned",
            "in_progress, NULL",
            "ringing, NULL",
            "queued, NULL",
            "something-else, NULL",
            "NULL, NULL"})
    void outcomeFromStatus(String status, String expected) {
        assertThat(OutcomeInference.fromStatus(status).orElse(null)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void sqlCaseCoversEveryRule() {
        String sql = OutcomeInference.sqlCase("s");
        OutcomeInference.rules().forEach((status, outcome) -> assertThat(sql).contains("'" + status + "'"));
        assertThat(sql).startsWith("(CASE").endsWith(" END)");
    }
}
