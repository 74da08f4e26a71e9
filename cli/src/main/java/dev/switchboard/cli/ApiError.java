package dev.switchboard.cli;

import tools.jackson.databind.JsonNode;

/** A non-2xx answer of the control plane, with its problem body (an empty object when there was none). */
final class ApiError extends CliFailure {

    private final int status;
    private final JsonNode problem;

    ApiError(int exitCode, String message, int status, JsonNode problem) {
        super(exitCode, message);
        this.status = status;
        this.problem = problem;
    }

    int status() {
        return status;
    }

    JsonNode problem() {
        return problem;
    }
}
