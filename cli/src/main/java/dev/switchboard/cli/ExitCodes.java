package dev.switchboard.cli;

/** The exit codes scripts can rely on; {@code switchboard --help} and the README list the same table. */
final class ExitCodes {

    /** The command did what was asked (including "nothing to change"). */
    static final int DONE = 0;
    /** The server refused (403 role, 409 conflict or no-go, a feature it does not offer) or the user did not confirm. */
    static final int REFUSED = 1;
    /** The command line or the request was wrong: bad option, unknown flag or tenant, invalid value (400/404). */
    static final int USAGE = 2;
    /** The control plane could not be reached or would not authenticate us (connection refused, timeout, 401, 502-504). */
    static final int UNREACHABLE = 3;

    private ExitCodes() {
    }
}
