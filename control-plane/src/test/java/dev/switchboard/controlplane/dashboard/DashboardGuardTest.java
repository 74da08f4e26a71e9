package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The dashboard over the real guard: cards and charts from windows posted as routers post them, the stage plan
 * and advance through the guard's {@code StageAdvance}, active alerts raised by the guard's loop and
 * acknowledged on the page, and the routers' revisions from the router directory.
 */
class DashboardGuardTest extends DashboardTest {

    private static final Pattern ACK = Pattern.compile("/dashboard/alerts/(\\d+)/ack");
    private static final Pattern EFFECTIVE = Pattern.compile("effective on (\\d+)/(\\d+) live routers");

    private String percentageFlag(int percentage) {
        String flag = createFlag(true);
        notifyOnly(flag);
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("percentage", percentage, "reason", "setup")).exchange().expectStatus().isOk();
        return flag;
    }

    private static String card(String page, String variant) {
        int start = page.indexOf("data-test=\"card-" + variant + "\"");
        assertThat(start).as("card " + variant).isPositive();
        int end = page.indexOf("</article>", start);
        return page.substring(start, end);
    }

    @Test
    void cardsShowThePushedWindowsWithValueThresholdSampleSizeAndLevel() {
        String flag = createFlag(true);
        notifyOnly(flag);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_SLOW);
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);
        String page = viewer.page("/dashboard/flags/" + flag);

        String v1 = card(page, "v1");
        // 3 windows x 1,000 requests, 8 errors each; all in the (400, 500] ms bucket
        assertThat(v1).contains("3,000").contains("0.80%").contains("24 errors of 3,000 requests")
                .contains("ok below 2%, no-go above 5%").contains("495 ms").contains("ok below 800 ms, no-go above 1200 ms")
                .contains("6 (0.80%)").contains("of 750 calls").contains("class=\"line ok\"");
        String v2 = card(page, "v2");
        // 3 x 100 requests in the (800, 1000] ms bucket: p95 990 ms, a warning (colour and the word)
        assertThat(v2).contains("1.00%").contains("3 errors of 300 requests").contains("990 ms")
                .contains("class=\"line warn\"").contains(">warning<").contains("300 requests");
        assertVerdictAgreesWithAdvance(page);
        // the per-minute charts come from the same windows (ComparisonSource.perMinute)
        assertThat(page).contains("<polyline class=\"v1\"").contains("<polyline class=\"v2\"")
                .containsPattern("p95 latency: [12] minutes? of v1 and [12] minutes? of v2 data; latest v1 495 ms, latest v2 990 ms");

        String failing = createFlag(false);
        pushWindows(failing, unique("router"), revision(failing), unique("t"), V2_FAILING);
        String bad = card(viewer.page("/dashboard/flags/" + failing), "v2");
        assertThat(bad).contains("8.00%").contains("24 errors of 300 requests").contains("class=\"line no-go\"")
                .contains(">no-go<").contains("1485 ms").contains("9 (12.00%)").contains("ok at 0, no-go above 2");
    }

    /** The banner says what the advance button does: go when it is enabled, no-go with the same reasons when not. */
    private static void assertVerdictAgreesWithAdvance(String page) {
        int at = page.indexOf("data-test=\"verdict\"");
        assertThat(at).as("verdict banner").isPositive();
        String verdict = page.substring(at, page.indexOf("</p>", at));
        if (!page.contains("data-test=\"advance\"")) {
            return; // a viewer's page has no advance button to agree with
        }
        if (page.contains("data-test=\"advance-blocked\"")) {
            int b = page.indexOf("data-test=\"advance-blocked\"");
            String blocked = page.substring(page.indexOf(": ", b) + 2, page.indexOf("</p>", b));
            assertThat(verdict).contains("No-go: advancing to").contains(blocked.replace("&#39;", "'"));
        } else {
            assertThat(verdict).contains("Go: v2 meets every criterion of");
        }
    }

    @Test
    void healthyCardsDoNotMakeAGoBannerWhileAdvancingIsRefused() {
        // 25 % (expansion) with a 1 h bake time: v2's numbers are within every card threshold, but advance refuses
        String flag = percentageFlag(25);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_HEALTHY);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = operator.page("/dashboard/flags/" + flag);
        assertThat(page).doesNotContain("Go: v2").contains("No-go: advancing to").contains("data-test=\"advance\"");
        assertVerdictAgreesWithAdvance(page);
        // and where advancing would go, the banner says go
        String ready = percentageFlag(10);
        pushWindows(ready, unique("router"), revision(ready), unique("t"), V2_HEALTHY);
        String readyPage = operator.page("/dashboard/flags/" + ready);
        assertThat(readyPage).contains("Go: v2 meets every criterion of advancing to expansion (25%)");
        assertVerdictAgreesWithAdvance(readyPage);
    }

    @Test
    void planPanelShowsTheGuardsStagesAndAdvanceGoesThroughTheGuard() {
        String flag = percentageFlag(10);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_HEALTHY);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = operator.page("/dashboard/flags/" + flag);
        assertThat(page).contains("data-test=\"plan-current\">early-adopters<")
                .contains("data-test=\"plan-next\">expansion at 25%<").contains("data-test=\"bake-left\">0 s<")
                .contains("Advancing to expansion (25%) would go").contains("data-test=\"criterion-samples\"")
                .contains("Advance stage (to expansion, 25%)").doesNotContain("data-test=\"advance-blocked\"");

        String answer = FormSession.body(operator.post("/dashboard/flags/" + flag + "/advance",
                FormSession.form(page, "revision", String.valueOf(FormSession.revision(page)), "reason", "cohort healthy"))
                .expectStatus().isOk());
        assertThat(answer).contains("Advanced from early-adopters to expansion (25%)").contains("samples 300");
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(25);
        admin().get().uri("/api/v1/audit?flag={f}&actor=operator", flag).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("advance: cohort healthy"));

        // now in expansion, whose bake time (1 h here) has just begun: the plan says so and advance is disabled
        String after = operator.page("/dashboard/flags/" + flag);
        assertThat(after).contains("data-test=\"plan-current\">expansion<").contains("data-test=\"plan-next\">majority at 50%<")
                .containsPattern("data-test=\"bake-left\">(59 min( \\d+ s)?|1 h)<")
                .contains("Advance stage is disabled: bake-time");
    }

    @Test
    void advanceRefusedByTheGuardShowsEachFailingCriterionAndChangesNothing() {
        String flag = percentageFlag(10);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_FAILING);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = operator.page("/dashboard/flags/" + flag);
        assertThat(page).contains("Advance stage is disabled: error-rate 8.00%").contains("is refused now")
                .contains("data-test=\"criterion-error-rate\"");

        String answer = FormSession.body(operator.post("/dashboard/flags/" + flag + "/advance",
                FormSession.form(page, "revision", String.valueOf(FormSession.revision(page)), "reason", "try anyway"))
                .expectStatus().isEqualTo(409));
        assertThat(answer).contains("Not advanced: the go criteria do not hold").contains("data-test=\"outcome-items\"")
                .contains("error-rate 8.00% (needs v2 error rate &lt; go threshold, threshold 2.00%): FAIL")
                .contains("p95-latency 1485 ms").contains("failed-calls 12.00%").contains("circuit-breaker-opens 3")
                .doesNotContain("samples 300");
        admin().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody().jsonPath("$.percentage").isEqualTo(10);

        // a viewer's advance is refused by the server too
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);
        String viewerPage = viewer.page("/dashboard/flags/" + flag);
        assertThat(viewerPage).doesNotContain("data-test=\"advance\"");
        viewer.post("/dashboard/flags/" + flag + "/advance", FormSession.form(viewerPage, "revision",
                String.valueOf(revision(flag)), "reason", "sneaky")).expectStatus().isForbidden();
    }

    @Test
    void alertRaisedByTheGuardIsShownWithItsExplanationAndAcknowledgedFromThePage() {
        String flag = percentageFlag(10);
        pushWindows(flag, unique("router"), revision(flag), unique("t"), V2_FAILING);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String[] page = new String[1];
        await("the guard's alert on the page", Duration.ofSeconds(30), () -> {
            page[0] = operator.page("/dashboard/flags/" + flag + "/panels");
            return ACK.matcher(page[0]).find();
        });
        assertThat(page[0]).contains("class=\"sev\">critical<");
        Matcher m = ACK.matcher(page[0]);
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        String full = operator.page("/dashboard/flags/" + flag);

        String answer = FormSession.body(operator.post("/dashboard/alerts/" + id + "/ack",
                FormSession.form(full, "reason", "looking")).expectStatus().isOk());
        assertThat(answer).contains("Alert " + id + " acknowledged");
        String after = operator.page("/dashboard/flags/" + flag + "/panels");
        assertThat(after).contains("acknowledged by operator").doesNotContain("/dashboard/alerts/" + id + "/ack");
        admin().get().uri("/api/v1/audit?flag={f}", flag).exchange().expectBody(String.class)
                .value(body -> assertThat(body).contains("alert.acknowledged"));
    }

    @Test
    void routersPageSaysOnHowManyLiveRoutersTheCurrentRevisionIsEffective() {
        String flag = createFlag(true);
        long current = revision(flag);
        String holding = unique("router-a");
        String behind = unique("router-b");
        pushWindows(flag, holding, current, unique("t"), V2_HEALTHY);
        pushWindows(flag, behind, current - 1, unique("t"), V2_HEALTHY);
        FormSession viewer = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD);

        String routers = viewer.page("/dashboard/flags/" + flag + "/routers");
        assertThat(routers).containsPattern("(?s)" + holding + "</td>.*?<td>" + current + "</td>\\s*<td>current</td>")
                .containsPattern("(?s)" + behind + "</td>.*?<td>" + (current - 1) + "</td>\\s*<td>behind</td>");
        Matcher m = EFFECTIVE.matcher(routers);
        assertThat(m.find()).isTrue();
        int n = Integer.parseInt(m.group(1));
        int total = Integer.parseInt(m.group(2));
        // other tests' routers may still be live on this shared database: ours are one holding, one behind
        assertThat(n).isGreaterThanOrEqualTo(1);
        assertThat(total).isGreaterThanOrEqualTo(n + 1);
        assertThat(viewer.page("/dashboard/flags/" + flag)).containsPattern(
                "Current revision " + current + " effective on \\d+/\\d+ routers");

        // the lagging router catches up: one more router holds the revision (same total)
        pushWindows(flag, behind, current, unique("t"), V2_HEALTHY);
        Matcher caught = EFFECTIVE.matcher(viewer.page("/dashboard/flags/" + flag + "/routers"));
        assertThat(caught.find()).isTrue();
        assertThat(Integer.parseInt(caught.group(2)) - Integer.parseInt(caught.group(1)))
                .isLessThanOrEqualTo(total - n - 1);
    }
}
