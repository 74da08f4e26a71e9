package dev.switchboard.cli;

import dev.switchboard.migration.MigrationException;
import dev.switchboard.migration.VoiceAgentMigration;
import dev.switchboard.migration.cli.MigrateCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code switchboard migrate}: the data-migration module's {@link MigrateCommand}, embedded with what only the CLI
 * knows: the control plane (the next stage's tenants for {@code --stage next}, the audit log), the root's
 * {@code -o}, the CLI's exit codes ({@link MigrationExitCodes}) and the {@code --reason} every change takes.
 */
final class MigrateSubcommand {

    private MigrateSubcommand() {
    }

    static void register(CommandLine root, CliContext context) {
        SwitchboardCommand switchboard = root.getCommand();
        MigrateControlPlaneOptions extra = new MigrateControlPlaneOptions();
        ControlPlaneAuditSink audit = new ControlPlaneAuditSink(switchboard::settings,
                () -> new ApiClient(switchboard.settings()), () -> extra.flag,
                () -> extra.reason);
        VoiceAgentMigration migration = new VoiceAgentMigration(context.clock(), audit);
        ControlPlaneStageSource stage = new ControlPlaneStageSource(
                () -> new ApiClient(switchboard.settings()), () -> extra.flag);
        MigrateCommand.Host host = new MigrateCommand.Host(switchboard::json, MigrationExitCodes::of, command -> {
            if (!command.dryRun() && (extra.reason == null || extra.reason.isBlank())) {
                throw new CliFailure(ExitCodes.USAGE, "--reason is required for a live migration (it is recorded in"
                        + " the audit log); or use --dry-run (see `switchboard migrate --help`)");
            }
        });
        CommandLine migrate = MigrateCommand.embedded(new MigrateCommand(migration, Optional.of(stage),
                Optional.empty(), Optional.of(host)));
        migrate.addMixin("controlPlane", extra);
        Map<String, String> exits = new LinkedHashMap<>();
        exits.put("0", "done (dry run included; also when nothing was left to migrate)");
        exits.put("1", "the run failed and was rolled back, another migration/restore holds the lock, "
                + "or the control plane refused (e.g. no next stage)");
        exits.put("2", "usage: bad option (batch size, --skip-backup without --yes, no --reason), unknown tenant");
        exits.put("3", "cannot reach the voice-agent database (or it lacks the expected schema), "
                + "or the control plane for --stage next");
        migrate.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exits);
        root.addSubcommand(SwitchboardCommand.MIGRATE, migrate);
    }

    /** For callers outside picocli's flow (rollback): the failure as the CLI prints it. */
    static CliFailure failure(MigrationException e) {
        return MigrationExitCodes.failure(e);
    }
}
