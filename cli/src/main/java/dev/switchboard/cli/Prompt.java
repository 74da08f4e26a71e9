package dev.switchboard.cli;

import java.io.Console;
import java.util.Optional;

/** Asks a person a question on the terminal; absent when there is no terminal (a script, a pipe, CI). */
interface Prompt {

    /** The answer, or empty when nobody can be asked. */
    Optional<String> ask(String question);

    /** The process's terminal, as {@link System#console()} sees it. */
    static Prompt system() {
        return question -> {
            Console console = System.console();
            if (console == null) {
                return Optional.empty();
            }
            String line = console.readLine("%s", question);
            return Optional.of(line == null ? "" : line);
        };
    }
}
