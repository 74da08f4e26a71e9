package dev.switchboard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the CLI in-process with captured stdout/stderr, as a user with the given environment would. */
final class CliRun {

    record Result(int exit, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;
    private final Path home;
    private final Prompt prompt;

    CliRun(Map<String, String> env, Path home, Prompt prompt) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.prompt = prompt;
    }

    /** The CLI pointed at the test control plane with {@code token}, no terminal. */
    static CliRun as(String token, Path home) {
        return new CliRun(Map.of("SWITCHBOARD_CONTROL_PLANE_URL", ControlPlaneServer.get().url(),
                "SWITCHBOARD_TOKEN", token, "XDG_CONFIG_HOME", home.resolve("config").toString()), home,
                question -> Optional.empty());
    }

    CliRun withPrompt(Prompt answer) {
        return new CliRun(env, home, answer);
    }

    CliRun withEnv(String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new CliRun(copy, home, prompt);
    }

    Result run(String... args) {
        // as Main builds it: the root with only the subcommand args name, the whole tree otherwise
        CommandLine cli = SwitchboardCommand.commandLine(new CliContext(env, home, prompt, Clock.systemUTC()), args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
