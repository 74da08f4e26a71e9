package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rollout set … --wait} and {@code rollback … --wait} against the real control plane, with two routers that
 * confirm through the real confirmation API with their own router tokens, as the router does when its SDK applies a
 * revision (the router's side is proven by the agent router's RevisionConfirmationIT and bench/propagation): the
 * command returns 0 once both confirmed; with one router stopped it returns 1 and names that router.
 */
class WaitForRoutersTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path home;

    static CliRun admin;

    private final ScheduledExecutorService routers = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void clients() {
        admin = CliRun.as(ControlPlaneServer.ADMIN_TOKEN, home);
    }

    @AfterEach
    void stopRouters() {
        routers.shutdownNow();
    }

    /**
     * A router that confirms the flag's current revision every 20 ms until stopped. A run that reads the revision
     * after {@code stopped} was set never confirms it, so a router stopped before a change never confirms that change.
     */
    private void router(String id, String flag, AtomicBoolean stopped) throws Exception {
        String token = send("POST", "/api/v1/tokens", ControlPlaneServer.ADMIN_TOKEN,
                "{\"name\":\"" + Fixtures.unique("router") + "\",\"role\":\"router\",\"routerId\":\"" + id + "\"}", 201)
                .path("token").asString();
        routers.scheduleWithFixedDelay(() -> {
            try {
                long revision = Fixtures.getJson("/api/v1/flags/" + flag).path("revision").asLong();
                if (stopped.get()) {
                    return;
                }
                Instant now = Instant.now();
                send("POST", "/api/v1/router-confirmations", token, "{\"routerId\":\"" + id + "\",\"flag\":\"" + flag
                        + "\",\"revision\":" + revision + ",\"appliedAt\":\"" + now.minusMillis(1) + "\",\"source\":"
                        + "\"stream\",\"sentAt\":\"" + now + "\"}", 204);
            } catch (Exception e) {
                // a failed confirmation is retried on the next tick, as the router does
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    private static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ControlPlaneServer.get().url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    @Test
    void waitSucceedsWhenEveryLiveRouterConfirmedAndFailsNamingTheStoppedOne() throws Exception {
        String flag = Fixtures.createFlag(true);
        String a = Fixtures.unique("router-a");
        String b = Fixtures.unique("router-b");
        AtomicBoolean bStopped = new AtomicBoolean();
        router(a, flag, new AtomicBoolean());
        router(b, flag, bStopped);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Fixtures.getJson("/api/v1/flags/" + flag).path("confirmation").path("confirmedBy").asString().equals("2/2")) {
            assertThat(System.nanoTime()).as("both routers confirmed within 10 s").isLessThan(until);
            Thread.sleep(20);
        }

        CliRun.Result set = admin.run("rollout", "set", flag, "20", "--reason", "stage 1", "--wait=5s");
        assertThat(set.exit()).as(set.toString()).isZero();
        assertThat(set.out()).contains("✓ rollout set to 20%", "✓ effective on 2/2 routers", "ms after the change");

        bStopped.set(true); // router b stops
        long before = Fixtures.getJson("/api/v1/flags/" + flag).path("revision").asLong();
        CliRun.Result rollback = admin.run("rollback", flag, "--level", "total", "--reason", "incident", "--yes",
                "--wait=3s");
        assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(rollback.out()).contains("✓ total rollback complete", "✗ not confirmed in time: 1/2 routers",
                "not confirmed: " + b + " (revision " + before + ")");
        assertThat(rollback.out()).doesNotContain("not confirmed: " + a);

        CliRun.Result json = admin.run("rollout", "set", flag, "5", "--reason", "still down", "--wait=3s",
                "-o", "json");
        assertThat(json.exit()).as(json.toString()).isEqualTo(ExitCodes.REFUSED);
        assertThat(json.json().path("wait").path("confirmedBy").asString()).isEqualTo("1/2");
        assertThat(json.json().path("wait").path("pending").get(0).asString()).isEqualTo(b);

        // a bad bound is refused before anything changes
        long revision = Fixtures.getJson("/api/v1/flags/" + flag).path("revision").asLong();
        CliRun.Result bad = admin.run("rollout", "set", flag, "6", "--reason", "x", "--wait=soon");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("invalid --wait 'soon'");
        assertThat(Fixtures.getJson("/api/v1/flags/" + flag).path("revision").asLong()).isEqualTo(revision);
    }
}
