package dev.switchboard.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a command needs from the world outside its arguments; tests pass their own. */
record CliContext(Map<String, String> env, Path home, Prompt prompt, Clock clock) {

    CliContext {
        env = Map.copyOf(env);
    }

    static CliContext system() {
        return new CliContext(System.getenv(), Path.of(System.getProperty("user.home")), Prompt.system(),
                Clock.systemUTC());
    }
}
