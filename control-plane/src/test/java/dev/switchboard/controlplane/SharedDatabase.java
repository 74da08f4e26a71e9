package dev.switchboard.controlplane;

import dev.switchboard.testing.PostgresTestDatabase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** One database per test JVM, dropped when the JVM exits; tokens for each role created once through the API. */
final class SharedDatabase {

    private static final PostgresTestDatabase DATABASE = create();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    private SharedDatabase() {
    }

    private static PostgresTestDatabase create() {
        PostgresTestDatabase db = PostgresTestDatabase.create();
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        return db;
    }

    static PostgresTestDatabase get() {
        return DATABASE;
    }

    /** A router token bound to {@code routerId}, created once through the API. */
    @SuppressWarnings("unchecked")
    static String routerToken(WebTestClient web, String routerId) {
        return TOKENS.computeIfAbsent("router:" + routerId, r -> {
            Map<String, Object> created = web.post().uri("/api/v1/tokens")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ControlPlaneTest.ADMIN_TOKEN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "test-router", "role", "router", "routerId", routerId))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            return (String) created.get("token");
        });
    }

    @SuppressWarnings("unchecked")
    static String token(WebTestClient web, String role) {
        return TOKENS.computeIfAbsent(role, r -> {
            Map<String, Object> created = web.post().uri("/api/v1/tokens")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ControlPlaneTest.ADMIN_TOKEN)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", "test-" + r, "role", r))
                    .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
            return (String) created.get("token");
        });
    }
}
