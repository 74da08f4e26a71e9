package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A run builds only the subcommand its arguments name (start-up time); whatever the arguments, the answer must
 * be the one the whole command tree gives: usage, errors, suggestions and exit code. No control plane here: the
 * server is a closed port, so commands that get as far as a request fail the same way in both trees.
 */
class CommandTreeTest {

    @TempDir
    Path home;

    @Test
    void findsTheSubcommandPastTheRootsOptions() {
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"status"})).isEqualTo("status");
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"-o", "json", "status", "flag"})).isEqualTo("status");
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"--server", "rollout", "tenant"})).isEqualTo("tenant");
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"--token=x", "-ojson", "--output=table", "audit"}))
                .isEqualTo("audit");
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"migrate", "--dry-run"})).isEqualTo("migrate");
        assertThat(SwitchboardCommand.subcommandNamed(new String[] {"rollout", "set", "f", "10"})).isEqualTo("rollout");
        // the whole tree: nothing named, help, version, completion, a typo, an unknown option, --, an @file
        for (String[] args : new String[][] {{}, {"--help"}, {"-h", "status"}, {"-V"}, {"completion"}, {"statsu"},
                {"--bogus", "status"}, {"--", "status"}, {"@args.txt"}, {"-o", "json"}, {"--server"}}) {
            assertThat(SwitchboardCommand.subcommandNamed(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void theLeanTreeAnswersExactlyAsTheWholeTree() {
        String[][] cases = {
                {"status", "--help"}, {"status", "-h"}, {"rollout", "--help"}, {"rollout"}, {"rollout", "set", "--help"},
                {"rollout", "set", "f", "abc", "--reason", "x"}, {"rollout", "sett"}, {"tenant", "explain", "--help"},
                {"rollback"}, {"rollback", "--help"}, {"rollback", "f", "--level", "weird", "--reason", "x"},
                {"rollback", "f", "--level", "tenant", "--reason", "x"}, {"migrate", "--help"}, {"migrate"},
                {"audit", "--limit", "x"}, {"alerts", "ack", "--help"}, {"tokens"}, {"tenants", "--help"},
                {"snapshots"}, {"status", "--bogus"}, {"status", "a", "b"}, {"-o", "xml", "status"},
                {"-oxml", "status"}, {"--output=yaml", "status"}, {"status", "-o", "json"}, {"status", "f"},
                {"--server", "not a url", "status"}, {"tenant", "allow", "f", "t"}, {"status", "--version"},
        };
        for (String[] args : cases) {
            Run whole = run(SwitchboardCommand.commandLine(context()), args);
            Run lean = run(SwitchboardCommand.commandLine(context(), args), args);
            assertThat(lean).as(String.join(" ", args)).isEqualTo(whole);
        }
    }

    record Run(int exit, String out, String err) {
    }

    private CliContext context() {
        return new CliContext(Map.of("SWITCHBOARD_CONTROL_PLANE_URL", "http://127.0.0.1:1", "SWITCHBOARD_TOKEN", "t",
                "XDG_CONFIG_HOME", home.resolve("config").toString()), home, question -> Optional.empty(),
                Clock.systemUTC());
    }

    private static Run run(CommandLine cli, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
