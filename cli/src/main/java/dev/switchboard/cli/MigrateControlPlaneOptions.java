package dev.switchboard.cli;

import picocli.CommandLine.Option;

/** What {@code switchboard migrate} adds to the data migration's own options: the flag it moves with, and why. */
final class MigrateControlPlaneOptions {

    static final String DEFAULT_FLAG = "voice_agent_v2";

    @Option(names = "--flag", defaultValue = DEFAULT_FLAG, paramLabel = "FLAG",
            description = "rollout flag for --stage next and the audit log (default ${DEFAULT-VALUE})")
    String flag;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "why (recorded in the audit log); required for a live run")
    String reason;
}
