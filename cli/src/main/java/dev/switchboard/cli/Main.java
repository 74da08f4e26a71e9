package dev.switchboard.cli;

/** Entry point of {@code switchboard.jar} (bin/switchboard runs it). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SwitchboardCommand.commandLine(CliContext.system(), args).execute(args));
    }
}
