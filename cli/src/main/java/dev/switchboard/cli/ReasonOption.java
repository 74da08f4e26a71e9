package dev.switchboard.cli;

import picocli.CommandLine.Option;

/** {@code --reason}: every change says why; the audit log keeps it. */
final class ReasonOption {

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "why (recorded in the audit log)")
    String reason;

    String reason() {
        return reason;
    }
}
