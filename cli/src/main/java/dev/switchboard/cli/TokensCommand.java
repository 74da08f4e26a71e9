package dev.switchboard.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code tokens create|revoke|list}: API tokens (admin). A new token is shown once, when created. */
@Command(name = "tokens", description = "API tokens (admin): create, list, revoke.",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "create", description = "Create a token; it is printed once, store it now.")
    static final class Create extends ApiCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "who or what uses it")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator, admin, client (an Unleash SDK) or router")
        String role;
        @Option(names = "--router-id", paramLabel = "ROUTER_ID",
                description = "for a router token: the one router id it may push metric windows for")
        String routerId;

        @Override
        public Integer call() {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("name", name);
            body.put("role", role);
            if (routerId != null) {
                body.put("routerId", routerId);
            }
            JsonNode created = api().send("POST", "/api/v1/tokens", body, Map.of()).body();
            Output out = output();
            if (out.json()) {
                out.document(created);
            } else {
                out.line("token " + created.path("id").asLong() + " (" + created.path("name").asString() + ", "
                        + created.path("role").asString() + "):");
                out.line(created.path("token").asString());
                out.note("store it now: it is not shown again");
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "list", description = "List tokens (never their values).")
    static final class ListTokens extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode tokens = api().get("/api/v1/tokens");
            Output out = output();
            if (out.json()) {
                out.document(tokens);
            } else {
                out.table(tokens, List.of());
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "revoke", description = "Revoke token ID; it stops working at once.")
    static final class Revoke extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            api().send("DELETE", "/api/v1/tokens/" + id, null, Map.of());
            Output out = output();
            if (out.json()) {
                out.document(Map.of("id", id, "revoked", true));
            } else {
                out.line("✓ token " + id + " revoked");
            }
            return ExitCodes.DONE;
        }
    }
}
