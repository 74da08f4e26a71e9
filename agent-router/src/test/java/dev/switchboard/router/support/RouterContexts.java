package dev.switchboard.router.support;

import dev.switchboard.router.AgentRouterApplication;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Routers started as separate application contexts in one JVM (several routers behind one URL). */
public final class RouterContexts {

    private RouterContexts() {}

    public static Map<String, String> defaults(String controlPlaneUrl, String v1, String v2, java.nio.file.Path stateDir,
            String routerId) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("switchboard.router.control-plane-url", controlPlaneUrl);
        p.put("switchboard.router.v1-url", v1);
        p.put("switchboard.router.v2-url", v2);
        p.put("switchboard.router.client-token", "client-token-1");
        p.put("switchboard.router.router-token", routerId + ":router-secret");
        p.put("switchboard.router.router-id", routerId);
        p.put("switchboard.router.unleash.backup-file", stateDir.resolve(routerId + "-unleash.json").toString());
        p.put("switchboard.router.tenants.cache-file", stateDir.resolve(routerId + "-identifiers.json").toString());
        p.put("switchboard.router.tenants.refresh-interval", "1s");
        p.put("switchboard.router.metrics.push-interval", "1h");
        p.put("switchboard.router.signatures.generic.secret", "generic_secret");
        p.put("switchboard.router.signatures.vapi.secret", "vapi_test_secret");
        return p;
    }

    /** Command-line arguments: default properties would lose against application.yml. */
    public static ConfigurableApplicationContext start(Map<String, String> properties) {
        return new SpringApplicationBuilder(AgentRouterApplication.class)
                .run(properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
