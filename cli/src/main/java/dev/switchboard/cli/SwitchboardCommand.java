package dev.switchboard.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code switchboard}: steer the v1 → v2 rollout of the voice agent from a terminal or a script. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = SwitchboardCommand.Version.class,
        description = "Steer the voice-agent v1 -> v2 rollout: status, rollout stages, per-tenant overrides, "
                + "the four rollback levels, the data migration, audit, alerts, tenants and tokens.",
        subcommands = {
                StatusCommand.class,
                RolloutCommand.class,
                TenantCommand.class,
                RollbackCommand.class,
                SnapshotsCommand.class,
                AuditCommand.class,
                AlertsCommand.class,
                TenantsCommand.class,
                TokensCommand.class,
                CompletionCommand.class,
        },
        footerHeading = "%nConnection:%n",
        footer = {
                "  --server, else $SWITCHBOARD_CONTROL_PLANE_URL, else server= in the config file, "
                        + "else " + Settings.DEFAULT_SERVER + ".",
                "  --token, else $SWITCHBOARD_TOKEN, else token= in the config file "
                        + "($XDG_CONFIG_HOME/switchboard/config.properties or ~/.config/switchboard/config.properties).",
                "  The token is never printed.",
                "Every change takes --reason, recorded in the audit log.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done (also when there was nothing to change)",
                "1:refused: by the server (403 role, 409 conflict or no-go) or not confirmed; a migration or restore "
                        + "that failed and was rolled back, or another one holding the lock",
                "2:usage error: bad command line, unknown flag/tenant, invalid value (400/404)",
                "3:cannot reach or authenticate to the control plane (connection refused, timeout, 401, 502-504), "
                        + "or reach the voice-agent database (or it lacks the expected schema)",
        })
final class SwitchboardCommand implements Callable<Integer> {

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SwitchboardCommand.class.getPackage().getImplementationVersion();
            return new String[] {"switchboard " + (version == null ? "dev" : version)};
        }
    }

    enum Format { table, json }

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "control plane base URL (env SWITCHBOARD_CONTROL_PLANE_URL)")
    String server;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "API token (env SWITCHBOARD_TOKEN); prefer the environment or the config file")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default) or json (stable field names, for scripts)")
    Format output;

    private final CliContext context;

    SwitchboardCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    Settings settings() {
        return Settings.resolve(Optional.ofNullable(server), Optional.ofNullable(token), context.env(),
                context.home());
    }

    boolean json() {
        return output == Format.json;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The command line with its factory, error handlers and exit codes wired; used by main and by tests. */
    static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(SwitchboardCommand.class, new ContextFactory(context));
        MigrateSubcommand.register(cli, context);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliFailure failure) {
                commandLine.getErr().println("error: " + failure.getMessage());
                commandLine.getErr().flush();
                return failure.exitCode();
            }
            // a bug of ours: still one line, with the stack trace only on request
            commandLine.getErr().println("error: unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            if (context.env().containsKey("SWITCHBOARD_DEBUG")) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ExitCodes.REFUSED;
        });
        // a bad command line: the reason and where to look, not the whole usage text
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.getErr().println("try `" + failed.getCommandSpec().qualifiedName() + " --help`");
            failed.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Gives every command that wants it the {@link CliContext}; the rest are made the default way. */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                var constructor = type.getDeclaredConstructor(CliContext.class);
                constructor.setAccessible(true);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
