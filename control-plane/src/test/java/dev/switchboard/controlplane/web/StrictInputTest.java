package dev.switchboard.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Text with control characters, members given twice and members a change request does not know are refused
 * with a 400 problem naming the field, on every door, and change nothing. (NUL used to reach PostgreSQL and come
 * back as a 500; a duplicate member applied its last value; an unknown one was ignored.)
 */
class StrictInputTest extends ControlPlaneTest {

    /** One request against a fresh flag F (enabled, 0 %) and a registered tenant T. */
    record Case(String name, HttpMethod method, String path, String body, String field, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String NUL = "\\u0000";

    static Stream<Arguments> cases() {
        return Stream.of(
                // JSON members
                new Case("percentage reason", HttpMethod.PUT, "/api/v1/flags/F/percentage",
                        "{\"percentage\":10,\"reason\":\"a" + NUL + "b\"}", "reason", TextRules.RULE),
                new Case("enable reason (escape ESC)", HttpMethod.POST, "/api/v1/flags/F/disable",
                        "{\"reason\":\"\\u001b[31mred\"}", "reason", TextRules.RULE),
                new Case("override reason", HttpMethod.PUT, "/api/v1/flags/F/tenants/T",
                        "{\"mode\":\"deny\",\"reason\":\"" + NUL + "\"}", "reason", TextRules.RULE),
                new Case("rollback reason", HttpMethod.POST, "/api/v1/flags/F/rollback",
                        "{\"level\":\"total\",\"reason\":\"x" + NUL + "\"}", "reason", TextRules.RULE),
                new Case("rollback tenant id", HttpMethod.POST, "/api/v1/flags/F/rollback",
                        "{\"level\":\"tenant\",\"tenantId\":\"T" + NUL + "\",\"reason\":\"r\"}", "tenantId", TextRules.RULE),
                new Case("advance reason", HttpMethod.POST, "/api/v1/flags/F/advance",
                        "{\"reason\":\"" + NUL + "\"}", "reason", TextRules.RULE),
                new Case("guard reason", HttpMethod.PUT, "/api/v1/flags/F/guard",
                        "{\"policy\":\"notify-only\",\"reason\":\"" + NUL + "\"}", "reason", TextRules.RULE),
                new Case("flag description", HttpMethod.POST, "/api/v1/flags",
                        "{\"name\":\"strict_nul_flag\",\"description\":\"" + NUL + "\"}", "description", TextRules.RULE),
                new Case("tenant display name", HttpMethod.POST, "/api/v1/tenants",
                        "{\"id\":\"strict-nul-tenant\",\"displayName\":\"Acme" + NUL + "\"}", "rows[0].displayName",
                        TextRules.RULE),
                new Case("import display name", HttpMethod.POST, "/api/v1/tenants/import",
                        "[{\"id\":\"strict-nul-import\",\"displayName\":\"" + NUL + "\"}]", "rows[0].displayName",
                        TextRules.RULE),
                new Case("external audit reason", HttpMethod.POST, "/api/v1/audit",
                        "{\"action\":\"deploy\",\"reason\":\"" + NUL + "\"}", "reason", TextRules.RULE),
                new Case("external audit details", HttpMethod.POST, "/api/v1/audit",
                        "{\"action\":\"deploy\",\"reason\":\"r\",\"details\":{\"k\":\"" + NUL + "\"}}", "details.k",
                        TextRules.RULE),
                new Case("token name", HttpMethod.POST, "/api/v1/tokens",
                        "{\"name\":\"n" + NUL + "\",\"role\":\"viewer\"}", "name", TextRules.RULE),
                // query parameters and the path
                new Case("audit actor", HttpMethod.GET, "/api/v1/audit?actor=a%00", null, "actor", TextRules.RULE),
                new Case("explain tenant", HttpMethod.GET, "/api/v1/flags/F/explain?tenant=T%00", null, "tenant",
                        TextRules.RULE),
                new Case("tenant search", HttpMethod.GET, "/api/v1/tenants?q=%00", null, "q", TextRules.RULE),
                new Case("alerts flag", HttpMethod.GET, "/api/v1/alerts?flag=%01", null, "flag", TextRules.RULE),
                new Case("clear override reason", HttpMethod.DELETE, "/api/v1/flags/F/tenants/T?reason=%00", null,
                        "reason", TextRules.RULE),
                new Case("flag in the path", HttpMethod.GET, "/api/v1/flags/F%00", null, "path", TextRules.RULE),
                // members given twice
                new Case("duplicate percentage", HttpMethod.PUT, "/api/v1/flags/F/percentage",
                        "{\"percentage\":10,\"percentage\":90,\"reason\":\"r\"}", "percentage", "duplicate"),
                new Case("duplicate rollback level", HttpMethod.POST, "/api/v1/flags/F/rollback",
                        "{\"level\":\"partial\",\"percentage\":0,\"level\":\"total\",\"reason\":\"r\"}", "level",
                        "duplicate"),
                new Case("duplicate guard policy", HttpMethod.PUT, "/api/v1/flags/F/guard",
                        "{\"policy\":\"auto-rollback\",\"policy\":\"notify-only\",\"reason\":\"r\"}", "policy",
                        "duplicate"),
                // members the request does not know
                new Case("misspelt percentage", HttpMethod.PUT, "/api/v1/flags/F/percentage",
                        "{\"percantage\":90,\"reason\":\"r\"}", "percantage", "unknown"),
                new Case("unknown rollback member", HttpMethod.POST, "/api/v1/flags/F/rollback",
                        "{\"level\":\"total\",\"reason\":\"r\",\"dryRun\":true}", "dryRun", "unknown"),
                new Case("unknown guard member", HttpMethod.PUT, "/api/v1/flags/F/guard",
                        "{\"polcy\":\"notify-only\",\"reason\":\"r\"}", "polcy", "unknown"),
                new Case("unknown guard member after known ones", HttpMethod.PUT, "/api/v1/flags/F/guard",
                        "{\"policy\":\"notify-only\",\"reason\":\"r\",\"autoAdvanced\":true}", "autoAdvanced",
                        "unknown"),
                new Case("unknown advance member", HttpMethod.POST, "/api/v1/flags/F/advance",
                        "{\"reason\":\"r\",\"forced\":true}", "forced", "unknown"),
                // the guard settings say why, like every change
                new Case("guard without reason", HttpMethod.PUT, "/api/v1/flags/F/guard",
                        "{\"policy\":\"notify-only\"}", "reason", "required")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithA400NamingTheFieldAndNothingChanges(Case c) {
        String flag = createFlag(true);
        String tenant = registerTenant();
        Function<String, String> at = p -> p.replace("/F", "/" + flag).replace("/T", "/" + tenant)
                .replace("=T", "=" + tenant);
        Map<?, ?> before = flagState(flag);
        Map<?, ?> guardBefore = guard(flag);
        long auditBefore = auditCount(flag);

        WebTestClient.RequestBodySpec request = admin().method(c.method()).uri(java.net.URI.create(
                "http://127.0.0.1:" + port + at.apply(c.path())));
        WebTestClient.ResponseSpec response = c.body() == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(c.body()).exchange();
        response.expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[0].field").isEqualTo(c.field())
                .jsonPath("$.errors[0].rule").isEqualTo(c.rule());

        assertThat(flagState(flag)).isEqualTo(before);
        assertThat(guard(flag).get("policy")).isEqualTo(guardBefore.get("policy"));
        assertThat(auditCount(flag)).isEqualTo(auditBefore);
        admin().get().uri("/api/v1/flags/strict_nul_flag").exchange().expectStatus().isNotFound();
        admin().get().uri("/api/v1/tenants/strict-nul-tenant").exchange().expectStatus().isNotFound();
        admin().get().uri("/api/v1/tenants/strict-nul-import").exchange().expectStatus().isNotFound();
    }

    @Test
    void routersAndSdksMayStillSendMembersWeDoNotKnow() {
        // an Unleash SDK newer than us registers with an extra member: accepted (202), not refused
        as(CLIENT_TOKEN).post().uri("/api/client/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"appName\":\"a\",\"instanceId\":\"i\",\"strategies\":[],\"interval\":1000,"
                        + "\"started\":\"2026-01-01T00:00:00Z\",\"someFutureMember\":{\"x\":1}}")
                .exchange().expectStatus().is2xxSuccessful();
    }

    @Test
    void tabsAndLineBreaksInAReasonAreText() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"percentage\":5,\"reason\":\"line one\\nline two\\tindented\"}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.percentage").isEqualTo(5);
    }

    private Map<?, ?> flagState(String flag) {
        return admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private Map<?, ?> guard(String flag) {
        return admin().get().uri("/api/v1/flags/{f}/guard", flag).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private long auditCount(String flag) {
        Map<?, ?> page = admin().get().uri("/api/v1/audit?flag={f}&limit=500", flag).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((java.util.List<?>) page.get("items")).size();
    }
}
