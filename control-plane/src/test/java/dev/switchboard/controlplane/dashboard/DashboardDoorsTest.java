package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The doors people use, tried as an attacker would: password guessing is throttled per address and per
 * username without locking the real person out, unknown and known usernames take the same time to refuse,
 * every page carries the Content-Security-Policy (and passes it: no inline script or style), cannot be framed
 * and keeps its referrer, the session cookie is SameSite=Lax, and the login page says only what happened.
 * Each test uses its own client addresses (127.0.0.x), so the throttle of one never holds back another.
 */
class DashboardDoorsTest extends DashboardTest {

    @Test
    void thirtyWrongPasswordsAreThrottledWhileTheRightPasswordFromAnotherAddressStillWorks() {
        double failuresBefore = loginFailures("bad-credentials");
        FormSession attacker = FormSession.from(baseUrl(), "127.0.0.9");
        List<Integer> statuses = new ArrayList<>();
        List<Long> retryAfters = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            EntityExchangeResult<byte[]> result = attacker.logIn("viewer", "guess-" + i).expectBody().returnResult();
            statuses.add(result.getStatus().value());
            String retry = result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
            if (result.getStatus() == HttpStatus.TOO_MANY_REQUESTS) {
                assertThat(retry).as("429 says when to come back").isNotNull();
                retryAfters.add(Long.parseLong(retry));
            }
        }
        // 5 wrong passwords are answered as such; from then on, 429 without looking at the password
        assertThat(statuses.subList(0, 5)).containsOnly(302);
        assertThat(statuses.subList(5, 30)).containsOnly(429);
        assertThat(retryAfters).allMatch(s -> s >= 1 && s <= 15 * 60);
        // the right password from the throttled address is refused too (it was not even checked)...
        attacker.logIn("viewer", VIEWER_PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER);
        // ...but the real viewer at another address logs in and works
        FormSession real = FormSession.from(baseUrl(), "127.0.0.10");
        real.logIn("viewer", VIEWER_PASSWORD).expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/dashboard.*");
        real.get("/dashboard").expectStatus().isOk();
        // every checked failure is counted on the metric
        assertThat(loginFailures("bad-credentials") - failuresBefore).isGreaterThanOrEqualTo(5);
        assertThat(loginFailures("throttled")).isGreaterThanOrEqualTo(26);
    }

    @Test
    void sprayingManyUsernamesFromOneAddressIsThrottledByAddress() {
        FormSession sprayer = FormSession.from(baseUrl(), "127.0.0.11");
        int throttled = 0;
        for (int i = 0; i < 25; i++) {
            int status = sprayer.logIn("name-" + i, "pw").expectBody().returnResult().getStatus().value();
            if (status == 429) {
                throttled++;
            }
        }
        assertThat(throttled).as("attempts past the per-address limit of 20").isGreaterThanOrEqualTo(4);
        FormSession.from(baseUrl(), "127.0.0.12").logIn("operator", OPERATOR_PASSWORD).expectStatus().is3xxRedirection();
    }

    /**
     * Alternates known and unknown names, every attempt from its own address so the throttle stays out of it, and
     * compares the fastest of each: the work a refusal costs, without what other load on the machine adds. On a busy
     * machine even the fastest of 21 can be held up, so a round whose two figures differ by more than 10 % is taken
     * again, up to three rounds; a refusal that skipped the password check (~1 ms against ~70 ms) fails every round.
     */
    @Test
    void anUnknownUsernameTakesAsLongToRefuseAsAKnownOne() {
        List<String> rounds = new ArrayList<>();
        int address = 20;
        for (int round = 1; round <= 3; round++) {
            long known = Long.MAX_VALUE;
            long unknown = Long.MAX_VALUE;
            for (int i = 0; i < 21; i++) {
                known = Math.min(known, timeRefusal("timing", "wrong-" + i, "127.0." + round + "." + address++));
                unknown = Math.min(unknown, timeRefusal("no-such-person", "wrong-" + i, "127.0." + round + "." + address++));
            }
            double gap = Math.abs(known - unknown) / (double) Math.max(known, unknown);
            rounds.add("known %.1f ms, unknown %.1f ms".formatted(known / 1e6, unknown / 1e6));
            if (gap < 0.10) {
                return;
            }
        }
        throw new AssertionError("the fastest refusals of a known and an unknown name differ by 10 % or more in each "
                + "of three rounds: " + rounds);
    }

    private long timeRefusal(String user, String password, String fromAddress) {
        FormSession browser = FormSession.from(baseUrl(), fromAddress);
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", user);
        form.add("password", password);
        form.add("_csrf", FormSession.csrf(browser.page("/login")));
        long start = System.nanoTime();
        browser.postForm("/login", form).expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", ".*/login\\?error");
        return System.nanoTime() - start;
    }

    @Test
    void everyPageCarriesThePolicyPassesItAndTheSessionCookieIsSameSiteLax() {
        String flag = createFlag(true);
        FormSession browser = new FormSession(baseUrl());
        String login = browser.page("/login");
        assertPassesPolicy("/login", login);

        String setCookie = browser.logIn("operator", OPERATOR_PASSWORD).expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().get(HttpHeaders.SET_COOKIE).stream()
                .filter(c -> c.startsWith("SESSION=")).findFirst().orElseThrow();
        assertThat(setCookie).contains("SameSite=Lax").containsIgnoringCase("HttpOnly").contains("Path=/")
                .doesNotContain("Secure"); // plain HTTP here; see SessionCookieTest for HTTPS and TLS proxies

        for (String page : List.of("/dashboard", "/dashboard/flags/" + flag, "/dashboard/flags/" + flag + "/panels",
                "/dashboard/flags/" + flag + "/tenants", "/dashboard/flags/" + flag + "/routers",
                "/dashboard/audit", "/dashboard/audit?flag=" + flag)) {
            EntityExchangeResult<String> result = browser.get(page).expectStatus().isOk()
                    .expectBody(String.class).returnResult();
            HttpHeaders headers = result.getResponseHeaders();
            String csp = headers.getFirst("Content-Security-Policy");
            assertThat(csp).as(page).contains("frame-ancestors 'none'").contains("script-src 'self'")
                    .contains("style-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(headers.getFirst("X-Frame-Options")).as(page).isEqualTo("DENY");
            assertThat(headers.getFirst("Referrer-Policy")).as(page).isEqualTo("same-origin");
            assertThat(headers.getFirst("X-Content-Type-Options")).as(page).isEqualTo("nosniff");
            assertPassesPolicy(page, result.getResponseBody());
        }
    }

    /** What a browser would block under the policy: inline scripts, event-handler attributes, style attributes. */
    private static void assertPassesPolicy(String page, String html) {
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as(page + " has no inline <script>").isFalse();
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as(page + " has no on*= handlers").isFalse();
        assertThat(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as(page + " has no style attributes").isFalse();
        assertThat(Pattern.compile("<style", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as(page + " has no <style> element").isFalse();
        assertThat(html).as(page).doesNotContain("javascript:");
    }

    @Test
    void theAuditPageShowsEveryFieldAChangeTouchedAndReadableTimes() {
        String flag = createFlag(false);
        String tenant = registerTenant();
        admin().post().uri("/api/v1/flags/{f}/enable", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("reason", "switch on")).exchange().expectStatus().isOk();
        operator().put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("mode", "allow", "reason", "canary")).exchange().expectStatus().isOk();
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("percentage", 10, "reason", "first cohort")).exchange().expectStatus().isOk();
        String page = FormSession.login(baseUrl(), "viewer", VIEWER_PASSWORD).page("/dashboard/audit?flag=" + flag);
        assertThat(page).contains("on/off: off → on").contains("allow list: + " + tenant)
                .contains("percentage: 0% → 10%").contains("rev 2 → 3");
        // readable times: seconds, no microseconds, the exact instant kept in the title
        assertThat(page).containsPattern("data-test=\"when\"[^>]*>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}</time>")
                .doesNotContainPattern(">\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d+Z?<");
    }

    @Test
    void aControlCharacterInADashboardFormIsRefusedNamingTheField() {
        String flag = createFlag(true);
        FormSession operator = FormSession.login(baseUrl(), "operator", OPERATOR_PASSWORD);
        String page = operator.page("/dashboard/flags/" + flag);
        operator.post("/dashboard/flags/" + flag + "/percentage", FormSession.form(page, "op", "plus10", "shown", "0",
                        "revision", String.valueOf(FormSession.revision(page)), "reason", "first\u0000cohort"))
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("reason")
                .jsonPath("$.errors[0].rule").isEqualTo("no-control-characters");
        assertThat(operator.page("/dashboard/flags/" + flag)).contains("data-test=\"percentage\">0%");
    }

    @Test
    void theLoginPageSaysOnlyWhatHappened() {
        FormSession browser = new FormSession(baseUrl());
        String plain = browser.page("/login");
        assertThat(plain).doesNotContain("Wrong username or password.").doesNotContain("You are logged out.");
        String error = browser.page("/login?error");
        assertThat(error).contains("Wrong username or password.").doesNotContain("You are logged out.");
        String logout = browser.page("/login?logout");
        assertThat(logout).contains("You are logged out.").doesNotContain("Wrong username or password.");
    }

    private double loginFailures(String reason) {
        String scrape = web.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("switchboard_dashboard_login_failures_total{") && line.contains("reason=\"" + reason + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
