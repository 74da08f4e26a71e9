package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The dashboard over HTTP (no browser): escaping, stale pages, refusals, CSRF, audit filters. */
class DashboardWebTest extends DashboardTest {

    private static final String NASTY = "<script>alert(\"x\")</script> \"quoted\" 'single' & Ünïcødé 日本 😀";

    private String page(FormSession s, String flag) {
        return s.page("/dashboard/flags/" + flag);
    }

    @Test
    void tenantNamesAndReasonsWithScriptQuotesAndUnicodeRenderEscaped() {
        String flag = createFlag(true);
        String tenant = unique("evil");
        admin().post().uri("/api/v1/tenants/import").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(Map.of("id", tenant, "displayName", NASTY))).exchange().expectStatus().isOk();
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = page(operator, flag);
        operator.post("/dashboard/flags/" + flag + "/tenants/" + tenant + "/rollback",
                FormSession.form(page, "revision", String.valueOf(FormSession.revision(page)), "reason", NASTY))
                .expectStatus().isOk();

        String explorer = operator.page("/dashboard/flags/" + flag + "/tenants?q=" + tenant);
        String audit = operator.page("/dashboard/audit?flag=" + flag);
        for (String html : List.of(explorer, audit)) {
            assertThat(html).doesNotContain("<script>alert").doesNotContain("\"quoted\"")
                    .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
                    .contains("&quot;quoted&quot;").contains("&#39;single&#39;").contains("&amp;")
                    .contains("Ünïcødé 日本 😀");
        }
        assertThat(explorer).contains("on the deny list");
    }

    private void confirm(String router, String flag, long revision, java.time.Instant applied) {
        asRouter(router).post().uri("/api/v1/router-confirmations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("routerId", router, "flag", flag, "revision", revision,
                        "appliedAt", applied.toString(), "source", "stream",
                        "sentAt", java.time.Instant.now().plusMillis(1).toString()))
                .exchange().expectStatus().isNoContent();
    }

    @Test
    void theFlagPageSaysOnHowManyRoutersTheChangeIsEffectiveHowFastAndNamesTheLaggard() throws Exception {
        String flag = createFlag(true);
        String fast = unique("router");
        String laggard = unique("router");
        long old = revision(flag);
        confirm(fast, flag, old, java.time.Instant.now().minusMillis(1));
        confirm(laggard, flag, old, java.time.Instant.now().minusMillis(1));
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 5, "reason", "stage")).exchange().expectStatus().isOk();
        long revision = revision(flag);
        java.time.Instant changed = java.time.OffsetDateTime.parse((String) admin().get().uri("/api/v1/flags/{f}", flag)
                .exchange().expectBody(Map.class).returnResult().getResponseBody().get("updatedAt")).toInstant();
        Thread.sleep(50);
        confirm(fast, flag, revision, changed.plusMillis(18));
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);

        String page = page(viewer, flag);
        assertThat(page).contains("Revision " + revision + " effective on 1/2 routers so far")
                .contains(laggard + " still on revision " + old);

        confirm(laggard, flag, revision, changed.plusMillis(31));
        page = page(viewer, flag);
        assertThat(page).contains("Revision " + revision + " effective on 2/2 routers, 31 ms after the change (slowest: "
                + laggard + ")").doesNotContain(laggard + " still on revision");
    }

    @Test
    void actionOnAStalePageShowsTheConflictAndTheCurrentStateInsteadOfOverwriting() {
        String flag = createFlag(true);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = page(operator, flag);
        long shownRevision = FormSession.revision(page);
        // someone else moves the flag after the page was rendered
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 5, "reason", "other person")).exchange().expectStatus().isOk();

        String answer = FormSession.body(operator.post("/dashboard/flags/" + flag + "/percentage",
                        FormSession.form(page, "op", "plus10", "shown", "0", "revision", String.valueOf(shownRevision),
                                "reason", "stale click"))
                .expectStatus().isEqualTo(409));

        assertThat(answer).contains("someone else changed the flag")
                .contains("it is now revision " + (shownRevision + 1)).contains("5%")
                .contains("name=\"revision\" value=\"" + (shownRevision + 1) + "\"");
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.percentage").isEqualTo(5);
    }

    @Test
    void operatorRaisesThroughTheDashboardAndTheAuditLogShowsWhoAndWhy() {
        String flag = createFlag(true);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_HEALTHY);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = page(operator, flag);
        assertThat(page).contains("data-test=\"card-v1\"").contains("data-test=\"card-v2\"")
                .contains("ok below 2%, no-go above 5%").contains("300 requests").contains("<polyline");
        String answer = FormSession.body(operator.post("/dashboard/flags/" + flag + "/percentage",
                FormSession.form(page, "op", "plus10", "shown", "0", "revision",
                        String.valueOf(FormSession.revision(page)), "reason", "first cohort")).expectStatus().isOk());
        assertThat(answer).contains("Rollout set to 10%");
        String audit = operator.page("/dashboard/audit?flag=" + flag + "&actor=operator");
        assertThat(audit).contains("flag.percentage.set").contains("first cohort");
        assertThat(operator.page("/dashboard/audit?flag=" + flag + "&actor=nobody")).contains("No audit events match");
        assertThat(operator.page("/dashboard/audit?since=yesterday")).contains("since: must be a date and time");
    }

    @Test
    void viewerSeesNoActionButtonsAndTheServerRefusesTheirActionsAnyway() {
        String flag = createFlag(true);
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);
        String page = page(viewer, flag);
        assertThat(page).contains("You are logged in as a viewer").doesNotContain("data-test=\"plus10\"")
                .doesNotContain("Roll back to 0%");
        viewer.post("/dashboard/flags/" + flag + "/percentage", FormSession.form(page, "op", "plus10", "shown", "0",
                "revision", "2", "reason", "sneaky")).expectStatus().isForbidden();
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(0);
    }

    @Test
    void rollbackNeedsTheFlagNameTypedAndRaisingIsRefusedWhenV2FailsTheGoCriteria() {
        String flag = createFlag(true);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", 10, "reason", "setup")).exchange().expectStatus().isOk();
        String page = page(operator, flag);
        String revision = String.valueOf(FormSession.revision(page));
        assertThat(FormSession.body(operator.post("/dashboard/flags/" + flag + "/rollback",
                FormSession.form(page, "revision", revision, "reason", "bad", "confirm", "wrong-name"))
                .expectStatus().isBadRequest())).contains("type the flag name");
        operator.post("/dashboard/flags/" + flag + "/rollback",
                FormSession.form(page, "revision", revision, "reason", "", "confirm", flag)).expectStatus().isBadRequest();
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(10);

        String nogo = unique("nogo");
        admin().post().uri("/api/v1/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", nogo, "description", "failing v2")).exchange().expectStatus().isCreated();
        notifyOnly(nogo);
        pushWindows(nogo, unique("router"), revision(nogo), unique("t"), V2_FAILING);
        String nogoPage = page(operator, nogo);
        assertThat(nogoPage).contains("Raising is disabled").contains("no-go");
        assertThat(FormSession.body(operator.post("/dashboard/flags/" + nogo + "/percentage",
                FormSession.form(nogoPage, "op", "set", "percentage", "10", "shown", "0", "revision",
                        String.valueOf(FormSession.revision(nogoPage)), "reason", "push anyway"))
                .expectStatus().isEqualTo(409))).contains("v2 fails the go criteria");
    }

    @Test
    void postsWithoutTheCsrfTokenAreRefusedAndPagesNeedALogin() {
        String flag = createFlag(true);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        page(operator, flag);
        var form = new org.springframework.util.LinkedMultiValueMap<String, String>();
        form.add("op", "plus10");
        form.add("shown", "0");
        form.add("revision", "2");
        form.add("reason", "no token");
        operator.post("/dashboard/flags/" + flag + "/percentage", form).expectStatus().isForbidden();
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(0);

        WebTestClient anonymous = WebTestClient.bindToServer().baseUrl(baseUrl()).build();
        anonymous.get().uri("/dashboard/flags/" + flag).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().is3xxRedirection().expectHeader().valueMatches("Location", ".*/login");
        FormSession wrong = new FormSession(baseUrl());
        wrong.logIn("operator", "not-the-password").expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/login\\?error");
    }
}
