package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code completion}: a bash/zsh completion script, e.g. {@code source <(switchboard completion)}. */
@Command(name = "completion", description = {"Print a bash/zsh completion script.",
        "  source <(switchboard completion)    or save it to /etc/bash_completion.d/switchboard"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("switchboard", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.DONE;
    }
}
