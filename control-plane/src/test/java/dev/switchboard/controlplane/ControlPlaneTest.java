package dev.switchboard.controlplane;

import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the control plane's API tests: the real app on a random port against a real PostgreSQL database
 * created for this test run. Test classes share the database and the Spring context (so the suite starts the
 * app once); each test uses its own flag and tenant names, so tests never see each other's rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.security.bootstrap-admin-token=" + ControlPlaneTest.ADMIN_TOKEN,
        "switchboard.security.client-token=" + ControlPlaneTest.CLIENT_TOKEN,
        "logging.structured.format.console=",
})
public abstract class ControlPlaneTest {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String CLIENT_TOKEN = "test-client-token";
    protected static final PostgresTestDatabase DATABASE = SharedDatabase.get();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        DATABASE.springProperties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    protected int port;

    protected WebTestClient web;

    protected String operatorToken;
    protected String viewerToken;

    @BeforeEach
    void tokens() {
        // a fresh connection per request: an intermittent 30 s stall was seen when a pooled keep-alive connection
        // was reused right after a 403 (see the closing note); tests should not depend on that race
        web = WebTestClient.bindToServer(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                        reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.newConnection())))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        operatorToken = SharedDatabase.token(web, "operator");
        viewerToken = SharedDatabase.token(web, "viewer");
    }

    /**
     * A second control plane on the same database, as a load balancer would have beside this one: the test's tokens,
     * structured logs off, then {@code settings} (e.g. {@code "--switchboard.guard.enabled=false"}). Command-line
     * arguments, so they win over application.yml's environment defaults. The caller closes it.
     */
    protected static ConfigurableApplicationContext startReplica(String... settings) {
        return startReplica(DATABASE.springProperties(), settings);
    }

    /**
     * As {@link #startReplica}, with the replica's run-time connections to the database going through {@code link}
     * (cut it to take the database away from this replica alone; migrations still connect directly).
     */
    protected static ConfigurableApplicationContext startReplicaVia(TcpProxy link, String... settings) {
        Map<String, String> database = new java.util.HashMap<>(DATABASE.springProperties());
        database.put("spring.r2dbc.url", DATABASE.r2dbcUrlVia(link.port()));
        return startReplica(database, settings);
    }

    private static ConfigurableApplicationContext startReplica(Map<String, String> database, String... settings) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--switchboard.security.bootstrap-admin-token=" + ADMIN_TOKEN,
                "--switchboard.security.client-token=" + CLIENT_TOKEN,
                "--logging.structured.format.console="));
        args.addAll(List.of(settings));
        database.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run(args.toArray(String[]::new));
    }

    /** The base URL of a control plane started with {@link #startReplica}. */
    protected static String baseUrlOf(ConfigurableApplicationContext replica) {
        return "http://127.0.0.1:"
                + ((WebServerApplicationContext) replica).getWebServer().getPort();
    }

    /** The router token bound to {@code routerId}. */
    protected String asRouterToken(String routerId) {
        return SharedDatabase.routerToken(web, routerId);
    }

    /** A client speaking as router {@code routerId} with a router token bound to it. */
    protected WebTestClient asRouter(String routerId) {
        return as(SharedDatabase.routerToken(web, routerId));
    }

    protected static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    protected WebTestClient as(String token) {
        return web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    protected WebTestClient admin() {
        return as(ADMIN_TOKEN);
    }

    protected WebTestClient operator() {
        return as(operatorToken);
    }

    protected WebTestClient viewer() {
        return as(viewerToken);
    }

    /** Creates a flag and, when asked, enables it; returns its name. */
    protected String createFlag(boolean enabled) {
        String flag = unique("flag");
        admin().post().uri("/api/v1/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", flag, "description", "test")).exchange().expectStatus().isCreated();
        if (enabled) {
            admin().post().uri("/api/v1/flags/{f}/enable", flag).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("reason", "test")).exchange().expectStatus().isOk();
        }
        return flag;
    }

    /** Registers tenants (ids as given) through the import API. */
    protected void registerTenants(java.util.Collection<String> ids) {
        var rows = ids.stream().map(id -> Map.of("id", id, "displayName", "Tenant " + id)).toList();
        admin().post().uri("/api/v1/tenants/import").contentType(MediaType.APPLICATION_JSON).bodyValue(rows)
                .exchange().expectStatus().isOk();
    }

    protected String registerTenant() {
        String id = unique("t");
        registerTenants(java.util.List.of(id));
        return id;
    }
}
