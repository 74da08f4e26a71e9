package dev.switchboard.controlplane.errors;

/**
 * Domain errors. They say what went wrong in the domain's words; {@code web.ProblemMapping} is the one place
 * that turns each into an HTTP status and a problem body.
 */
public abstract sealed class SwitchboardException extends RuntimeException
        permits NotFound, InvalidInput, StaleRevision, NotPermitted, AlreadyExists, Refused {

    protected SwitchboardException(String message) {
        super(message, null, false, false);
    }
}
