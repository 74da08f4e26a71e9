package dev.switchboard.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /**
     * The subcommands, in the order {@code --help} lists them; {@code migrate} is the data-migration module's
     * command, added by {@link MigrateSubcommand}. Added by code rather than in {@code @Command(subcommands)} so
     * that a run builds only the one it executes (see {@link #commandLine(CliContext, String[])}).
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands();
    static final String MIGRATE = "migrate";

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("status", StatusCommand.class);
        all.put("rollout", RolloutCommand.class);
        all.put("tenant", TenantCommand.class);
        all.put("rollback", RollbackCommand.class);
        all.put("snapshots", SnapshotsCommand.class);
        all.put("audit", AuditCommand.class);
        all.put("alerts", AlertsCommand.class);
        all.put("tenants", TenantsCommand.class);
        all.put("tokens", TokensCommand.class);
        all.put("completion", CompletionCommand.class);
        return all;
    }

    /** The root's options that take a value as the next argument ({@code --server URL}). */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--server", "--token", "-o", "--output");
    /** The same options with their value attached ({@code --server=URL}, {@code -ojson}, {@code -o=json}). */
    private static final String[] ATTACHED_VALUE_PREFIXES = {"--server=", "--token=", "--output="};

    /** The whole command line: every subcommand (help, completion, and what the tests inspect). */
    static CommandLine commandLine(CliContext context) {
        return build(context, null);
    }

    /**
     * The command line for {@code args}: when they name a subcommand, the root with that subcommand only.
     * Why: picocli builds a command's model from its annotations by reflection, and the whole tree (25 command
     * classes and the embedded migration command) cost ~100 ms of CPU more than the root and {@code status} alone
     * (docs/benchmarks-cli.md); even those two are about half of a {@code status} run. Parsing
     * and executing {@code status ...} needs only the root and {@code status}: same options (the root's are
     * inherited), same messages, same exit codes. Anything else (no subcommand, an unknown word, --help,
     * --version, an option the root does not know, {@code --}, an {@code @file}, completion) gets the whole tree,
     * so usage, suggestions and errors are exactly those of the full command line.
     */
    static CommandLine commandLine(CliContext context, String[] args) {
        return build(context, subcommandNamed(args));
    }

    /** The subcommand {@code args} run, or null when they need the whole tree. */
    static String subcommandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++; // its value, whatever it looks like
            } else if (arg.startsWith("-")) {
                if (!hasAttachedValue(arg)) {
                    return null; // --help, --version, --, or an option picocli will report with suggestions
                }
            } else {
                boolean lean = arg.equals(MIGRATE) || SUBCOMMANDS.containsKey(arg) && !arg.equals("completion");
                return lean ? arg : null; // completion prints the whole tree; a typo gets full suggestions
            }
        }
        return null;
    }

    private static boolean hasAttachedValue(String arg) {
        if (arg.startsWith("-o") && arg.length() > 2) {
            return true;
        }
        for (String prefix : ATTACHED_VALUE_PREFIXES) {
            if (arg.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The root with every subcommand ({@code only == null}) or with {@code only}; handlers wired. */
    private static CommandLine build(CliContext context, String only) {
        ContextFactory factory = new ContextFactory(context);
        CommandLine cli = new CommandLine(SwitchboardCommand.class, factory);
        SUBCOMMANDS.forEach((name, type) -> {
            if (only == null || only.equals(name)) {
                cli.addSubcommand(name, type);
            }
        });
        if (only == null || only.equals(MIGRATE)) {
            MigrateSubcommand.register(cli, context);
        }
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
