package dev.switchboard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code tenants list|import}: the tenant registry. */
@Command(name = "tenants", description = "The tenant registry: list, import a CSV or JSON file.",
        subcommands = {TenantsCommand.ListTenants.class, TenantsCommand.Import.class})
final class TenantsCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Command(name = "list", description = "List registered tenants.")
    static final class ListTenants extends ApiCommand {
        @Option(names = "--search", paramLabel = "TEXT")
        String search;
        @Option(names = "--limit", defaultValue = "100", paramLabel = "N")
        int limit;

        @Override
        public Integer call() {
            JsonNode page = api().get("/api/v1/tenants", search == null ? Map.of("limit", limit)
                    : Map.of("q", search, "limit", limit));
            Output out = output();
            if (out.json()) {
                out.document(page);
            } else {
                out.table(page.path("items"), List.of("id", "displayName"));
                out.note(page.path("items").size() + " of " + page.path("total").asLong() + " tenants");
            }
            return ExitCodes.DONE;
        }
    }

    @Command(name = "import", description = "Import tenants (and their provider identifiers) from FILE: .csv or .json; all or nothing.")
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            String body;
            try {
                body = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.USAGE, "cannot read " + file + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : String.valueOf(e.getMessage())));
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String stripped = body.stripLeading();
            boolean isJson = name.endsWith(".json")
                    || (!name.endsWith(".csv") && (stripped.startsWith("[") || stripped.startsWith("{")));
            JsonNode report = api().sendText("POST", "/api/v1/tenants/import", body,
                    isJson ? "application/json" : "text/csv").body();
            Output out = output();
            if (out.json()) {
                out.document(report);
            } else {
                out.line("✓ imported " + report.path("imported").asInt() + " tenants, "
                        + report.path("identifiers").asInt() + " identifiers from " + file);
            }
            return ExitCodes.DONE;
        }
    }
}
