package dev.switchboard.controlplane.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Every admin endpoint × every role × no token: 2xx for the roles it is designed for, 403 for the others,
 * 401 without a valid token. Each row builds a fresh, valid request so a 2xx really means "allowed and done".
 */
class RoleMatrixTest extends ControlPlaneTest {

    enum Who { NONE, BAD_TOKEN, CLIENT, ROUTER, VIEWER, OPERATOR, ADMIN }

    record Call(HttpMethod method, String path, Object body) {
    }

    /** @param allowedStatus what an allowed caller gets (2xx unless the state makes it a refusal, e.g. 409) */
    record Row(String name, Who[] allowed, Supplier<Call> call, int allowedStatus) {
        Row(String name, Who[] allowed, Supplier<Call> call) {
            this(name, allowed, call, 0);
        }
    }

    private Optional<String> token(Who who) {
        return switch (who) {
            case NONE -> Optional.empty();
            case BAD_TOKEN -> Optional.of("sb_not_a_real_token");
            case CLIENT -> Optional.of(CLIENT_TOKEN);
            case ROUTER -> Optional.of(routerToken());
            case VIEWER -> Optional.of(viewerToken);
            case OPERATOR -> Optional.of(operatorToken);
            case ADMIN -> Optional.of(ADMIN_TOKEN);
        };
    }

    private String routerToken() {
        return asRouterToken("matrix-router");
    }

    private static Who[] atLeast(Who who) {
        return switch (who) {
            case VIEWER -> new Who[] {Who.VIEWER, Who.OPERATOR, Who.ADMIN};
            case OPERATOR -> new Who[] {Who.OPERATOR, Who.ADMIN};
            case ADMIN -> new Who[] {Who.ADMIN};
            default -> new Who[] {who};
        };
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        Supplier<String> flag = () -> createFlag(true);
        Supplier<String> tenant = this::registerTenant;
        rows.add(new Row("list flags", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/flags", null)));
        rows.add(new Row("get flag", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/flags/" + flag.get(), null)));
        rows.add(new Row("create flag", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST, "/api/v1/flags",
                Map.of("name", unique("f"), "description", "d"))));
        rows.add(new Row("set percentage within next stage", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.PUT,
                "/api/v1/flags/" + flag.get() + "/percentage", Map.of("percentage", 10, "reason", "r"))));
        rows.add(new Row("set percentage beyond next stage", atLeast(Who.ADMIN), () -> new Call(HttpMethod.PUT,
                "/api/v1/flags/" + flag.get() + "/percentage", Map.of("percentage", 100, "reason", "r"))));
        rows.add(new Row("enable", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + createFlag(false) + "/enable", Map.of("reason", "r"))));
        rows.add(new Row("disable", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/disable", Map.of("reason", "r"))));
        rows.add(new Row("deny tenant", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.PUT,
                "/api/v1/flags/" + flag.get() + "/tenants/" + tenant.get(), Map.of("mode", "deny", "reason", "r"))));
        rows.add(new Row("clear tenant", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.DELETE,
                "/api/v1/flags/" + flag.get() + "/tenants/" + tenant.get() + "?reason=r", null)));
        rows.add(new Row("rollback tenant", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/rollback", Map.of("level", "tenant", "tenantId", tenant.get(), "reason", "r"))));
        rows.add(new Row("rollback partial", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/rollback", Map.of("level", "partial", "percentage", 0, "reason", "r"))));
        rows.add(new Row("rollback total", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/rollback", Map.of("level", "total", "reason", "r"))));
        rows.add(new Row("rollback data", atLeast(Who.ADMIN), () -> {
            String f = flag.get();
            long snapshot = ((Number) admin().get().uri("/api/v1/flags/{f}/snapshots", f).exchange()
                    .expectBodyList(Map.class).returnResult().getResponseBody().get(1).get("id")).longValue();
            return new Call(HttpMethod.POST, "/api/v1/flags/" + f + "/rollback",
                    Map.of("level", "data", "snapshotId", snapshot, "reason", "r"));
        }));
        rows.add(new Row("snapshots", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/snapshots", null)));
        rows.add(new Row("explain", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/explain?tenant=" + tenant.get(), null)));
        rows.add(new Row("explain many", atLeast(Who.VIEWER), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/explain", Map.of("tenants", List.of("a", "b")))));
        rows.add(new Row("preview", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/preview?percentage=25", null)));
        rows.add(new Row("list tenants", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/tenants?limit=5", null)));
        rows.add(new Row("get tenant", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/tenants/" + tenant.get(), null)));
        rows.add(new Row("create tenant", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST, "/api/v1/tenants",
                Map.of("id", unique("t"), "displayName", "T"))));
        rows.add(new Row("import tenants", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST, "/api/v1/tenants/import",
                List.of(Map.of("id", unique("t"), "displayName", "T")))));
        rows.add(new Row("identifiers", new Who[] {Who.ROUTER, Who.VIEWER, Who.OPERATOR, Who.ADMIN},
                () -> new Call(HttpMethod.GET, "/api/v1/tenants/identifiers", null)));
        rows.add(new Row("resolve identifier", new Who[] {Who.ROUTER, Who.VIEWER, Who.OPERATOR, Who.ADMIN}, () -> {
            String id = unique("t");
            String pn = unique("pn");
            admin().post().uri("/api/v1/tenants").contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("id", id,
                            "displayName", "T", "identifiers", List.of(Map.of("provider", "vapi", "kind", "phone_number_id", "value", pn))))
                    .exchange().expectStatus().isCreated();
            return new Call(HttpMethod.GET, "/api/v1/tenants/resolve?provider=vapi&kind=phone_number_id&value=" + pn, null);
        }));
        rows.add(new Row("read audit", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/audit?limit=5", null)));
        rows.add(new Row("record external audit event", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.POST,
                "/api/v1/audit", Map.of("action", "migration.run", "reason", "r"))));
        rows.add(new Row("list tokens", atLeast(Who.ADMIN), () -> new Call(HttpMethod.GET, "/api/v1/tokens", null)));
        rows.add(new Row("create token", atLeast(Who.ADMIN), () -> new Call(HttpMethod.POST, "/api/v1/tokens",
                Map.of("name", "n", "role", "viewer"))));
        rows.add(new Row("revoke token", atLeast(Who.ADMIN), () -> {
            Number id = (Number) admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "victim", "role", "viewer")).exchange().expectBody(Map.class)
                    .returnResult().getResponseBody().get("id");
            return new Call(HttpMethod.DELETE, "/api/v1/tokens/" + id, null);
        }));
        // guard, metrics, alerts
        rows.add(new Row("comparison", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/comparison?window=5m", null)));
        rows.add(new Row("routers", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/routers", null)));
        rows.add(new Row("alerts", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET, "/api/v1/alerts", null)));
        rows.add(new Row("plan", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/plan", null)));
        rows.add(new Row("guard settings", atLeast(Who.VIEWER), () -> new Call(HttpMethod.GET,
                "/api/v1/flags/" + flag.get() + "/guard", null)));
        rows.add(new Row("change guard policy", atLeast(Who.ADMIN), () -> new Call(HttpMethod.PUT,
                "/api/v1/flags/" + flag.get() + "/guard", Map.of("policy", "notify-only", "reason", "test"))));
        // no metrics for a new flag: the go criteria cannot hold, so an allowed caller gets the 409 refusal
        rows.add(new Row("advance", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.POST,
                "/api/v1/flags/" + flag.get() + "/advance", Map.of("reason", "r")), 409));
        rows.add(new Row("ack alert", atLeast(Who.OPERATOR), () -> new Call(HttpMethod.POST,
                "/api/v1/alerts/999999999/ack", Map.of("reason", "r")), 404));
        rows.add(new Row("router metric window (its own)", new Who[] {Who.ROUTER}, () -> new Call(HttpMethod.POST,
                "/api/v1/router-metrics", Map.of("routerId", "matrix-router", "routerVersion", "t",
                "windowStart", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                "windowSeconds", 10, "flagRevisions", Map.of(), "series", List.of()))));
        // Unleash client API: SDK client and router tokens
        rows.add(new Row("unleash features", new Who[] {Who.CLIENT, Who.ROUTER}, () -> new Call(HttpMethod.GET,
                "/api/client/features", null)));
        rows.add(new Row("unleash register", new Who[] {Who.CLIENT, Who.ROUTER}, () -> new Call(HttpMethod.POST,
                "/api/client/register", Map.of("appName", "matrix", "instanceId", unique("i"),
                "sdkVersion", "unleash-java-sdk:11.2.1", "strategies", List.of("flexibleRollout"),
                "started", "2026-11-22T10:00:00Z", "interval", 1000))));
        rows.add(new Row("unleash metrics", new Who[] {Who.CLIENT, Who.ROUTER}, () -> new Call(HttpMethod.POST,
                "/api/client/metrics", Map.of("appName", "matrix", "instanceId", unique("i"),
                "bucket", Map.of("start", "2026-11-22T10:00:00Z", "stop", "2026-11-22T10:00:10Z",
                        "toggles", Map.of())))));
        return rows;
    }

    @Test
    void everyEndpointTimesEveryRole() {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (Row row : rows()) {
            for (Who who : Who.values()) {
                Call call = row.call().get();
                WebTestClient.RequestBodySpec request = web.method(call.method()).uri(call.path());
                token(who).ifPresent(t -> request.header("Authorization", "Bearer " + t));
                if (call.body() != null) {
                    request.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
                }
                int status = request.exchange().expectBody().returnResult().getStatus().value();
                boolean allowed = List.of(row.allowed()).contains(who);
                boolean ok = switch (who) {
                    case NONE, BAD_TOKEN -> status == 401;
                    default -> allowed
                            ? (row.allowedStatus() == 0 ? status >= 200 && status < 300 : status == row.allowedStatus())
                            : status == 403;
                };
                checked++;
                if (!ok) {
                    mismatches.add(row.name() + " as " + who + " -> " + status);
                }
            }
        }
        assertThat(mismatches).as("checked %d combinations", checked).isEmpty();
        assertThat(checked).isEqualTo(rows().size() * Who.values().length);
    }

    @Test
    void aRevokedTokenStopsWorkingOnTheNextRequest() {
        Map<?, ?> created = admin().post().uri("/api/v1/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "temp", "role", "operator")).exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        String token = (String) created.get("token");
        as(token).get().uri("/api/v1/flags").exchange().expectStatus().isOk();
        admin().delete().uri("/api/v1/tokens/{id}", created.get("id")).exchange().expectStatus().isNoContent();
        as(token).get().uri("/api/v1/flags").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // the listing never shows a token or its hash
        admin().get().uri("/api/v1/tokens").exchange().expectBody()
                .jsonPath("$[0].token").doesNotExist().jsonPath("$[0].tokenHash").doesNotExist();
    }
}
