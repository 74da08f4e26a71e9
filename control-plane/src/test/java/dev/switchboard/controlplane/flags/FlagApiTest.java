package dev.switchboard.controlplane.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class FlagApiTest extends ControlPlaneTest {

    @Test
    void createdFlagIsOffAtZeroPercentAtRevisionOne() {
        String flag = createFlag(false);
        viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"1\"")
                .expectBody()
                .jsonPath("$.name").isEqualTo(flag)
                .jsonPath("$.enabled").isEqualTo(false)
                .jsonPath("$.percentage").isEqualTo(0)
                .jsonPath("$.revision").isEqualTo(1)
                .jsonPath("$.stage").isEqualTo("canary")
                .jsonPath("$.allowTenants").isArray()
                .jsonPath("$.updatedBy").isEqualTo("bootstrap-admin");
    }

    @Test
    void settingThePercentageBumpsTheRevisionAndRepeatingItChangesNothing() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 10, "reason", "early adopters")).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Switchboard-Changed", "true")
                .expectBody().jsonPath("$.percentage").isEqualTo(10).jsonPath("$.revision").isEqualTo(3)
                .jsonPath("$.stage").isEqualTo("early-adopters");
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 10, "reason", "again")).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Switchboard-Changed", "false")
                .expectBody().jsonPath("$.revision").isEqualTo(3);
    }

    @Test
    void denyingATenantTwiceHasOneEffect() {
        String flag = createFlag(true);
        String tenant = registerTenant();
        for (int i = 0; i < 2; i++) {
            operator().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("mode", "deny", "reason", "complaint")).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.denyTenants[0]").isEqualTo(tenant).jsonPath("$.revision").isEqualTo(3);
        }
        var audit = viewer().get().uri("/api/v1/audit?flag={f}&action=tenant.denied", flag).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) audit.get("items")).hasSize(1);
    }

    @Test
    void allowThenDenyMovesTheTenantBetweenListsAndClearRemovesIt() {
        String flag = createFlag(true);
        String tenant = registerTenant();
        operator().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "allow", "reason", "canary")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.allowTenants[0]").isEqualTo(tenant).jsonPath("$.denyTenants.length()").isEqualTo(0);
        operator().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "deny", "reason", "problem")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.denyTenants[0]").isEqualTo(tenant).jsonPath("$.allowTenants.length()").isEqualTo(0);
        operator().delete().uri("/api/v1/flags/{f}/tenants/{t}?reason=fixed", flag, tenant).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.denyTenants.length()").isEqualTo(0).jsonPath("$.allowTenants.length()").isEqualTo(0);
    }
}
