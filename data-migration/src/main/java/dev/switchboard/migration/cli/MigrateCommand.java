package dev.switchboard.migration.cli;

import dev.switchboard.migration.AgentDatabase;
import dev.switchboard.migration.MigrationException;
import dev.switchboard.migration.MigrationOptions;
import dev.switchboard.migration.MigrationProgressListener;
import dev.switchboard.migration.MigrationReport;
import dev.switchboard.migration.MigrationResult;
import dev.switchboard.migration.StageTenantSource;
import dev.switchboard.migration.VoiceAgentMigration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;

/**
 * {@code switchboard migrate}: the voice-agent v1 → v2 data migration. The CLI registers it as a subcommand with a
 * {@link CommandLine.IFactory} that supplies the control-plane-backed {@link StageTenantSource} (for
 * {@code --stage next}) and audit sink; run alone (as the benchmark does) it has neither.
 *
 * <p>Exit codes: 0 success, 1 migration failed and rolled back (or restore failed), 2 bad option / unknown tenant,
 * 3 database unreachable, schema mismatch or another migration running.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Migrate voice-agent data v1 -> v2 (backup, validate, configs, calls+metrics, verify).")
public final class MigrateCommand implements Callable<Integer> {

    @Option(names = "--database-url", defaultValue = "${env:" + AgentDatabase.URL_ENV + "}",
            description = "JDBC URL of the voice-agent PostgreSQL (env ${env:" + AgentDatabase.URL_ENV + "} "
                    + "by default: " + AgentDatabase.URL_ENV + ")")
    String databaseUrl;

    @Option(names = "--database-user", defaultValue = "${env:SWITCHBOARD_AGENT_DB_USER}",
            description = "database user (env SWITCHBOARD_AGENT_DB_USER)")
    String databaseUser;

    @Option(names = "--dry-run", description = "read, transform and report; write nothing")
    boolean dryRun;

    @Option(names = "--batch-size", defaultValue = "100", description = "configs per batch (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--tenant-ids", split = ",", paramLabel = "ID", description = "only these tenants (a,b,c)")
    List<String> tenantIds;

    @Option(names = "--stage", paramLabel = "next",
            description = "only the tenants the next rollout stage moves to v2 (asked from the control plane)")
    String stage;

    @Option(names = "--force", description = "update rows an earlier run migrated instead of skipping them")
    boolean force;

    @Option(names = "--skip-backup", description = "no backup (dry run, or live with --yes)")
    boolean skipBackup;

    @Option(names = "--yes", description = "confirm a live run without backup")
    boolean yes;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json")
    String output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * What a command-line tool that embeds this command (the {@code switchboard} CLI) supplies instead of this
     * command's own choices: it owns {@code -o} (an inherited option of its root), maps failures into its own exit
     * code scheme, and may check its own options before anything runs (throwing its own failure type).
     *
     * @param json      whether the host's {@code -o} asked for JSON
     * @param exitCodes the host's exit code for a {@link MigrationException}
     * @param preflight runs before the migration starts, after this command's checks passed; may throw
     */
    public record Host(BooleanSupplier json, ToIntFunction<MigrationException> exitCodes,
                       java.util.function.Consumer<MigrateCommand> preflight) {
    }

    private final VoiceAgentMigration migration;
    private final Optional<StageTenantSource> stageSource;
    private final Optional<Boolean> terminalOverride;
    private final Optional<Host> host;

    /** Standalone: no control plane (so no --stage), no audit sink, progress bar when stdout is a terminal. */
    public MigrateCommand() {
        this(new VoiceAgentMigration(), Optional.empty(), Optional.empty());
    }

    /**
     * @param migration   built with the CLI's clock and audit sink
     * @param stageSource the control plane's preview of the next stage, when the CLI knows the control plane
     * @param terminal    force progress-bar (true) or plain lines (false); empty: detect
     */
    public MigrateCommand(VoiceAgentMigration migration, Optional<StageTenantSource> stageSource,
                          Optional<Boolean> terminal) {
        this(migration, stageSource, terminal, Optional.empty());
    }

    /** As a subcommand of a host CLI; see {@link #embedded}. */
    public MigrateCommand(VoiceAgentMigration migration, Optional<StageTenantSource> stageSource,
                          Optional<Boolean> terminal, Optional<Host> host) {
        this.migration = migration;
        this.stageSource = stageSource;
        this.terminalOverride = terminal;
        this.host = host;
    }

    /**
     * This command ready to be added as a subcommand of a host whose root declares an inherited
     * {@code -o/--output}: picocli refuses two options of one name, so this command's own {@code -o} is dropped and
     * the host's {@link Host#json()} decides the format.
     */
    public static CommandLine embedded(MigrateCommand command) {
        if (command.host.isEmpty()) {
            throw new IllegalArgumentException("an embedded migrate command needs its Host");
        }
        CommandLine cli = new CommandLine(command);
        CommandLine.Model.CommandSpec spec = cli.getCommandSpec();
        spec.remove(spec.findOption("--output"));
        return cli;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new MigrateCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = host.map(h -> h.json().getAsBoolean()).orElse("json".equalsIgnoreCase(output));
        try {
            if (host.isEmpty() && !json && !"text".equalsIgnoreCase(output)) {
                throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                        "-o must be text or json, got " + output);
            }
            if (databaseUrl == null || databaseUrl.isBlank()) {
                throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                        "--database-url (or " + AgentDatabase.URL_ENV + ") is required");
            }
            MigrationOptions.Builder options = MigrationOptions.builder(database())
                    .dryRun(dryRun).batchSize(batchSize).force(force).skipBackup(skipBackup, yes);
            // the options' own checks (batch size, --skip-backup) and the host's before asking anyone anything
            options.build();
            host.ifPresent(h -> h.preflight().accept(this));
            tenants().ifPresent(options::tenantIds);
            boolean terminal = terminalOverride.orElse(System.console() != null);
            options.listener(terminal && !json ? new ProgressBar(err) : new ProgressLines(err));
            MigrationResult result = migration.migrate(options.build());
            out.print(json ? MigrationReport.json(result) + "\n" : MigrationReport.text(result));
            out.flush();
            return result.exitCode();
        } catch (MigrationException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return host.map(h -> h.exitCodes().applyAsInt(e)).orElse(e.exitCode());
        }
    }

    private Optional<Set<String>> tenants() {
        if (stage != null && tenantIds != null) {
            throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                    "--stage and --tenant-ids cannot be used together");
        }
        if (stage != null) {
            if (!stage.equals("next")) {
                throw new MigrationException(MigrationException.Kind.INVALID_OPTION,
                        "--stage accepts only 'next', got " + stage);
            }
            StageTenantSource source = stageSource.orElseThrow(() -> new MigrationException(
                    MigrationException.Kind.INVALID_OPTION, "--stage next needs the control plane"
                    + " (SWITCHBOARD_CONTROL_PLANE_URL and SWITCHBOARD_TOKEN)"));
            return Optional.of(knownOfStage(source.tenantsOfNextStage()));
        }
        if (tenantIds != null) {
            Set<String> ids = new LinkedHashSet<>();
            tenantIds.forEach(id -> ids.add(id.trim()));
            return Optional.of(ids);
        }
        return Optional.empty();
    }

    /**
     * The control plane may know tenants that have no business in the voice-agent database (signed up on v2, or
     * never had a v1 agent): they have nothing to migrate, so a stage-scoped run leaves them out, saying so, instead
     * of refusing the whole stage as an explicit unknown --tenant-ids would.
     */
    private Set<String> knownOfStage(Set<String> stageTenants) {
        if (stageTenants.isEmpty()) {
            return stageTenants;
        }
        Set<String> known = migration.existingTenants(database(), stageTenants);
        Set<String> unknown = new TreeSet<>(stageTenants);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            List<String> shown = List.copyOf(unknown).subList(0, Math.min(10, unknown.size()));
            err.println("warning: --stage next: " + unknown.size() + " of " + stageTenants.size() + " tenant(s) the next"
                    + " stage moves have no business in the voice-agent database (nothing to migrate): "
                    + String.join(", ", shown) + (unknown.size() > shown.size() ? ", …" : ""));
            err.flush();
        }
        return known;
    }

    private AgentDatabase database() {
        return new AgentDatabase(databaseUrl, databaseUser, System.getenv("SWITCHBOARD_AGENT_DB_PASSWORD"));
    }

    /** One line per step and per 10 % of configs: for logs and CI (not a terminal). */
    static final class ProgressLines implements MigrationProgressListener {
        private final PrintWriter err;
        private final long started = System.nanoTime();
        private long lastTenth = -1;

        ProgressLines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void stepStarted(int number, int total, String title) {
            err.println("[" + number + "/" + total + "] " + title + "... (at "
                    + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9) + " s)");
            err.flush();
            lastTenth = -1;
        }

        @Override
        public void progress(String step, long done, long total) {
            long tenth = total == 0 ? 10 : done * 10 / total;
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.println("  " + step + " " + done + "/" + total);
                err.flush();
            }
        }

        @Override
        public void note(String message) {
            err.println("  " + message);
            err.flush();
        }
    }

    /** A bar redrawn in place with carriage returns. */
    static final class ProgressBar implements MigrationProgressListener {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private boolean drawing;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void stepStarted(int number, int total, String title) {
            endBar();
            err.println("[" + number + "/" + total + "] " + title + "...");
            err.flush();
        }

        @Override
        public void progress(String step, long done, long total) {
            int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
            err.print("\r  [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " "
                    + step);
            err.flush();
            drawing = true;
        }

        @Override
        public void note(String message) {
            endBar();
            err.println("  " + message);
            err.flush();
        }

        private void endBar() {
            if (drawing) {
                err.println();
                drawing = false;
            }
        }
    }
}
