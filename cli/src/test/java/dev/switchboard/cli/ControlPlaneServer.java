package dev.switchboard.cli;

import dev.switchboard.controlplane.ControlPlaneApplication;
import dev.switchboard.testing.PostgresTestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real control plane on a random port against a fresh PostgreSQL database, started once per test JVM and
 * stopped (database dropped) when the JVM exits. CLI tests talk to it over HTTP exactly as users do.
 */
final class ControlPlaneServer {

    static final String ADMIN_TOKEN = "cli-test-admin-token-5f1c";

    private static final ControlPlaneServer INSTANCE = start();

    private final String url;

    private ControlPlaneServer(String url) {
        this.url = url;
    }

    static ControlPlaneServer get() {
        return INSTANCE;
    }

    String url() {
        return url;
    }

    private static ControlPlaneServer start() {
        PostgresTestDatabase database = PostgresTestDatabase.create();
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", "0");
        properties.put("switchboard.security.bootstrap-admin-token", ADMIN_TOKEN);
        properties.put("logging.structured.format.console", "");
        properties.put("spring.main.banner-mode", "off");
        // as command-line arguments: builder properties are defaults that application.yml would override
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ControlPlaneApplication.class)
                .run(args);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            database.close();
        }));
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return new ControlPlaneServer("http://127.0.0.1:" + port);
    }
}
