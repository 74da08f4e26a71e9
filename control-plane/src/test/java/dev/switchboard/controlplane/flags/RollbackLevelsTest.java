package dev.switchboard.controlplane.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** The four rollback levels of the rollout plan, each leaving an audit event and a snapshot. */
class RollbackLevelsTest extends ControlPlaneTest {

    @SuppressWarnings("unchecked")
    private Map<String, Object> rollback(String token, String flag, Map<String, Object> body, int status) {
        return as(token).post().uri("/api/v1/flags/{f}/rollback", flag).contentType(MediaType.APPLICATION_JSON)
                .header("X-Request-ID", "req-" + flag).bodyValue(body).exchange().expectStatus().isEqualTo(status)
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> latestAudit(String flag) {
        Map<String, Object> page = viewer().get().uri("/api/v1/audit?flag={f}&limit=1", flag).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).get(0);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> snapshots(String flag) {
        return viewer().get().uri("/api/v1/flags/{f}/snapshots", flag).exchange().expectStatus().isOk()
                .expectBodyList(Map.class).returnResult().getResponseBody().stream()
                .map(m -> (Map<String, Object>) m).toList();
    }

    private void setPercentage(String flag, int percentage) {
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", percentage, "reason", "rollout")).exchange().expectStatus().isOk();
    }

    @Test
    void tenantLevelDeniesTheTenantWithAuditAndSnapshot() {
        String flag = createFlag(true);
        String tenant = registerTenant();
        setPercentage(flag, 50);
        Map<String, Object> state = rollback(operatorToken, flag,
                Map.of("level", "tenant", "tenantId", tenant, "reason", "caller complaints"), 200);
        assertThat((List<String>) state.get("denyTenants")).containsExactly(tenant);
        assertThat(state.get("percentage")).isEqualTo(50);

        Map<String, Object> audit = latestAudit(flag);
        assertThat(audit).containsEntry("action", "rollback.tenant").containsEntry("tenantId", tenant)
                .containsEntry("actor", "test-operator").containsEntry("actorRole", "operator")
                .containsEntry("reason", "caller complaints").containsEntry("requestId", "req-" + flag);
        assertThat(((Map<String, Object>) audit.get("before")).get("denyTenants")).isEqualTo(List.of());
        assertThat(((Map<String, Object>) audit.get("after")).get("denyTenants")).isEqualTo(List.of(tenant));
        assertThat(snapshots(flag).get(0)).containsEntry("revision", state.get("revision"))
                .containsEntry("reason", "caller complaints");
    }

    @Test
    void partialLevelLowersThePercentageAndRefusesToRaiseIt() {
        String flag = createFlag(true);
        setPercentage(flag, 50);
        Map<String, Object> state = rollback(operatorToken, flag,
                Map.of("level", "partial", "percentage", 25, "reason", "p95 over 800 ms"), 200);
        assertThat(state.get("percentage")).isEqualTo(25);
        assertThat(latestAudit(flag)).containsEntry("action", "rollback.partial");

        Map<String, Object> problem = rollback(operatorToken, flag,
                Map.of("level", "partial", "percentage", 30, "reason", "oops"), 400);
        assertThat(problem.get("errors").toString()).contains("field=percentage").contains("rule=max");
        assertThat(problem.get("detail").toString()).contains("at most 25");
    }

    @Test
    void totalLevelSwitchesTheFlagOffAtZeroAndNeedsAdmin() {
        String flag = createFlag(true);
        setPercentage(flag, 50);
        rollback(operatorToken, flag, Map.of("level", "total", "reason", "error rate 6%"), 403);
        Map<String, Object> state = rollback(ADMIN_TOKEN, flag, Map.of("level", "total", "reason", "error rate 6%"), 200);
        assertThat(state).containsEntry("enabled", false).containsEntry("percentage", 0);
        assertThat(latestAudit(flag)).containsEntry("action", "rollback.total").containsEntry("actor", "bootstrap-admin");
        assertThat(snapshots(flag).get(0).get("state").toString()).contains("enabled=false").contains("percentage=0");
    }

    @Test
    void dataLevelRestoresAChosenEarlierStateExactly() {
        String flag = createFlag(true);
        String allowed = registerTenant();
        String denied = registerTenant();
        String later = registerTenant();
        setPercentage(flag, 25);
        admin().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, allowed).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "allow", "reason", "canary")).exchange().expectStatus().isOk();
        Map<String, Object> good = admin().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, denied)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("mode", "deny", "reason", "bad"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        long goodSnapshot = ((Number) snapshots(flag).get(0).get("id")).longValue();

        // things go wrong afterwards
        setPercentage(flag, 100);
        admin().delete().uri("/api/v1/flags/{f}/tenants/{t}?reason=x", flag, denied).exchange().expectStatus().isOk();
        admin().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, later).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "allow", "reason", "x")).exchange().expectStatus().isOk();
        admin().post().uri("/api/v1/flags/{f}/disable", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "x")).exchange().expectStatus().isOk();

        // without a snapshot id: the latest snapshots to choose from
        Map<String, Object> choose = rollback(ADMIN_TOKEN, flag, Map.of("level", "data", "reason", "restore"), 400);
        assertThat(choose.get("errors").toString()).contains("field=snapshotId").contains("rule=required");
        assertThat((List<?>) choose.get("snapshots")).hasSize(5);

        rollback(operatorToken, flag, Map.of("level", "data", "snapshotId", goodSnapshot, "reason", "restore"), 403);
        Map<String, Object> restored = rollback(ADMIN_TOKEN, flag,
                Map.of("level", "data", "snapshotId", goodSnapshot, "reason", "restore known good"), 200);
        for (String key : List.of("enabled", "percentage", "allowTenants", "denyTenants")) {
            assertThat(restored.get(key)).as(key).isEqualTo(good.get(key));
        }
        assertThat(((Number) restored.get("revision")).longValue())
                .isGreaterThan(((Number) good.get("revision")).longValue());
        assertThat(latestAudit(flag)).containsEntry("action", "rollback.data");
        rollback(ADMIN_TOKEN, flag, Map.of("level", "data", "snapshotId", 999_999_999, "reason", "x"), 404);
    }
}
