package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** Set-up the CLI has no command for (creating and enabling flags), done on the API directly. */
final class Fixtures {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Fixtures() {
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String createToken(CliRun admin, String role) {
        CliRun.Result created = admin.run("tokens", "create", "--name", unique("cli-" + role), "--role", role,
                "-o", "json");
        assertThat(created.exit()).as(created.toString()).isZero();
        assertThat(created.json().path("role").asString()).isEqualTo(role);
        return created.json().path("token").asString();
    }

    /** Registers tenants with the CLI's own import command (a JSON file); returns their ids. */
    static List<String> registerTenants(CliRun admin, Path dir, int count) throws java.io.IOException {
        List<String> ids = IntStream.range(0, count).mapToObj(i -> unique("t")).toList();
        StringBuilder json = new StringBuilder("[");
        for (String id : ids) {
            json.append(json.length() > 1 ? "," : "").append("{\"id\":\"").append(id)
                    .append("\",\"displayName\":\"T ").append(id).append("\"}");
        }
        Path file = Files.writeString(dir.resolve(unique("tenants") + ".json"), json.append("]"));
        CliRun.Result imported = admin.run("tenants", "import", file.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        return ids;
    }

    static String createFlag(boolean enabled) {
        String flag = unique("flag");
        post("/api/v1/flags", "{\"name\":\"" + flag + "\",\"description\":\"cli test\"}", 201);
        if (enabled) {
            post("/api/v1/flags/" + flag + "/enable", "{\"reason\":\"cli test\"}", 200);
        }
        return flag;
    }

    /** A GET as the admin, for answers the CLI has no command for (the stage preview). */
    static tools.jackson.databind.JsonNode getJson(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ControlPlaneServer.get().url() + path))
                    .header("Authorization", "Bearer " + ControlPlaneServer.ADMIN_TOKEN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
            return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers exactly these tenant ids (e.g. the voice-agent database's business ids) with the CLI's import. */
    static void registerTenantIds(CliRun admin, Path dir, List<String> ids) throws java.io.IOException {
        StringBuilder json = new StringBuilder("[");
        for (String id : ids) {
            json.append(json.length() > 1 ? "," : "").append("{\"id\":\"").append(id)
                    .append("\",\"displayName\":\"B ").append(id).append("\"}");
        }
        Path file = Files.writeString(dir.resolve(unique("businesses") + ".json"), json.append("]"));
        CliRun.Result imported = admin.run("tenants", "import", file.toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
    }

    private static void post(String path, String json, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ControlPlaneServer.get().url() + path))
                    .header("Authorization", "Bearer " + ControlPlaneServer.ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
