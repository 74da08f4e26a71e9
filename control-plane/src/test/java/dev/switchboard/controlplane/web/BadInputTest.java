package dev.switchboard.controlplane.web;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;

/** Every kind of bad input to the API gets a 4xx problem naming the field and the rule, and changes nothing. */
class BadInputTest extends ControlPlaneTest {

    static Stream<Arguments> badPercentages() {
        return Stream.of(
                Arguments.of("{\"percentage\": -1, \"reason\": \"r\"}", "percentage", "min"),
                Arguments.of("{\"percentage\": 101, \"reason\": \"r\"}", "percentage", "max"),
                Arguments.of("{\"percentage\": 12.5, \"reason\": \"r\"}", "percentage", "integer"),
                Arguments.of("{\"percentage\": \"abc\", \"reason\": \"r\"}", "percentage", "integer"),
                Arguments.of("{\"reason\": \"r\"}", "percentage", "required"),
                Arguments.of("{\"percentage\": 10}", "reason", "required"),
                Arguments.of("{\"percentage\": 10, \"reason\": \"   \"}", "reason", "required"),
                Arguments.of("{\"percentage\": 10, \"reason\": ", "body", "json"),
                Arguments.of("[1,2]", "body", "object"));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @MethodSource("badPercentages")
    void badPercentageBodiesAreRefusedNamingFieldAndRule(String body, String field, String rule) {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[0].field").isEqualTo(field)
                .jsonPath("$.errors[0].rule").isEqualTo(rule)
                .jsonPath("$.trace").doesNotExist();
        viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.revision").isEqualTo(2)
                .jsonPath("$.percentage").isEqualTo(0);
    }

    @Test
    void missingBodyIsRefused() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body")
                .jsonPath("$.errors[0].rule").isEqualTo("required");
    }

    @Test
    void unknownFlagIs404() {
        operator().put().uri("/api/v1/flags/no_such_flag/percentage").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 10, "reason", "r")).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("flag")
                .jsonPath("$.detail").isEqualTo("flag 'no_such_flag' does not exist");
        viewer().get().uri("/api/v1/flags/no_such_flag/explain?tenant=x").exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownTenantIs404ForOverridesExplainAndTenantRollback() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/tenants/ghost", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("mode", "deny", "reason", "r")).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("tenant");
        viewer().get().uri("/api/v1/flags/{f}/explain?tenant=ghost", flag).exchange().expectStatus().isNotFound();
        operator().post().uri("/api/v1/flags/{f}/rollback", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "tenant", "tenantId", "ghost", "reason", "r")).exchange()
                .expectStatus().isNotFound();
        viewer().get().uri("/api/v1/tenants/ghost").exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownRollbackLevelIsRefused() {
        String flag = createFlag(true);
        operator().post().uri("/api/v1/flags/{f}/rollback", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "everything", "reason", "r")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("level")
                .jsonPath("$.errors[0].rule").isEqualTo("pattern")
                .jsonPath("$.errors[0].message").isEqualTo("must be one of tenant, partial, total, data");
    }

    @Test
    void tenantRollbackWithoutTenantIdIsRefused() {
        String flag = createFlag(true);
        operator().post().uri("/api/v1/flags/{f}/rollback", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "tenant", "reason", "r")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("tenantId")
                .jsonPath("$.errors[0].rule").isEqualTo("required");
    }

    @Test
    void partialRollbackWithoutPercentageIsRefused() {
        String flag = createFlag(true);
        operator().post().uri("/api/v1/flags/{f}/rollback", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("level", "partial", "reason", "r")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("percentage")
                .jsonPath("$.errors[0].rule").isEqualTo("required");
    }

    @Test
    void bodyOver64KiBIs413() {
        String flag = createFlag(true);
        String reason = "x".repeat(70 * 1024);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"percentage\": 10, \"reason\": \"" + reason + "\"}").exchange()
                .expectStatus().isEqualTo(413).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body")
                .jsonPath("$.errors[0].rule").isEqualTo("max-size");
    }

    @Test
    void badIfMatchIsRefused() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).header("If-Match", "yesterday")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("percentage", 10, "reason", "r"))
                .exchange().expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("If-Match");
    }

    @Test
    void wrongContentTypeIs415() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.TEXT_PLAIN)
                .bodyValue("percentage=10").exchange().expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void badTenantImportIsAllOrNothingWithARowReport() {
        String good = unique("good");
        String csv = "id,displayName,tier,monthlyCalls,internal,identifiers\n"
                + good + ",Good Tenant,gold,100,false,vapi:phone_number_id:" + good + "\n"
                + ",No Id,gold,1,false,\n"
                + unique("bad") + ",Bad Calls,gold,lots,maybe,twilio:number\n";
        admin().post().uri("/api/v1/tenants/import").contentType(MediaType.parseMediaType("text/csv")).bodyValue(csv)
                .exchange().expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.badRows").isEqualTo(4)
                .jsonPath("$.errors[?(@.field == 'rows[1].id')].rule").isEqualTo("required")
                .jsonPath("$.errors[?(@.field == 'rows[2].monthlyCalls')].rule").isEqualTo("integer")
                .jsonPath("$.errors[?(@.field == 'rows[2].internal')].rule").isEqualTo("boolean")
                .jsonPath("$.errors[?(@.field == 'rows[2].identifiers')].rule").isEqualTo("format");
        viewer().get().uri("/api/v1/tenants/{t}", good).exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownPathIsAProblem404() {
        viewer().get().uri("/api/v1/nothing-here").exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
