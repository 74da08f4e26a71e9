package dev.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** Base of the commands that talk to the control plane: the client, the output, and the root's options. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    SwitchboardCommand root() {
        return (SwitchboardCommand) spec.root().userObject();
    }

    ApiClient api() {
        return new ApiClient(root().settings());
    }

    Output output() {
        CommandLine cli = spec.commandLine();
        return new Output(cli.getOut(), cli.getErr(), root().json());
    }

    static String flagPath(String flag) {
        return "/api/v1/flags/" + ApiClient.segment(flag);
    }

    /** One line summing up a flag: what an operator checks after every change. */
    static String summary(JsonNode flag) {
        return flag.path("name").asString() + ": " + (flag.path("enabled").asBoolean() ? "enabled" : "DISABLED")
                + ", " + flag.path("percentage").asInt() + "% (stage " + flag.path("stage").asString() + ")"
                + ", allow " + flag.path("allowTenants").size() + ", deny " + flag.path("denyTenants").size()
                + ", revision " + flag.path("revision").asLong();
    }

    /** A check picocli cannot express, failed: one line, exit 2. */
    CliFailure usage(String message) {
        return new CliFailure(ExitCodes.USAGE, message + " (see `" + spec.qualifiedName() + " --help`)");
    }
}
