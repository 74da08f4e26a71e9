package dev.switchboard.cli;

/**
 * A failure the user should read as one line, with the exit code it ends the command with. Carries no stack
 * trace: it is a message to a person, not a bug report.
 */
class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
