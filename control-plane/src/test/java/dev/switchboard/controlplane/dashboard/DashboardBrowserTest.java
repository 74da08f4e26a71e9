package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import org.springframework.util.FileSystemUtils;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromedriver; Selenium Manager is never
 * asked to download anything). Screenshots go to target/screenshots as build artifacts.
 */
class DashboardBrowserTest extends DashboardTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMEDRIVER = onPath("chromedriver");
    private static final String CHROMIUM = onPath("chromium", "chromium-browser", "google-chrome");

    private Path profile;
    private WebDriver browser;
    private WebDriverWait wait;

    /** The first of the names found on PATH, or null. */
    private static String onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : names) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    /**
     * Without Chromium and its driver the browser test is skipped, and says so, on a developer's machine; in CI
     * ({@code CI=true}) it fails instead: there the browser test must run.
     */
    @BeforeAll
    static void chromiumIsThere() {
        if (CHROMIUM != null && CHROMEDRIVER != null) {
            return;
        }
        String missing = "the dashboard's browser test needs Chromium and chromedriver on PATH (Debian: apt-get install "
                + "chromium chromium-driver); found chromium=" + CHROMIUM + ", chromedriver=" + CHROMEDRIVER;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(missing);
        }
        System.err.println("SKIPPED: " + missing);
        Assumptions.abort("SKIPPED: " + missing);
    }

    @BeforeEach
    void startBrowser() throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("switchboard-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1700");
        // the page's console, to see whether the Content-Security-Policy blocked anything
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // panels are swapped while we look
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            try {
                // every page and every htmx swap of the test ran under the policy without a refusal
                List<String> refused = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
                assertThat(refused).as("Content-Security-Policy violations in the browser console").isEmpty();
            } finally {
                browser.quit();
            }
        }
        FileSystemUtils.deleteRecursively(profile.toFile());
    }

    @Test
    void operatorRaisesAndRollsBackThroughTheBrowserAndAViewerSeesNoButtons() throws IOException {
        String flag = createFlag(true);
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tenants.add(unique("bt"));
        }
        registerTenants(tenants);
        notifyOnly(flag);
        pushWindows(flag, unique("router"), revision(flag), tenants.get(0), V2_SLOW);
        String overview = baseUrl() + "/dashboard/flags/" + flag;

        browser.get(overview);
        logIn("operator", OPERATOR_PASSWORD);
        wait.until(ExpectedConditions.urlContains("/dashboard/flags/" + flag));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=card-v1]")));
        assertThat(text("[data-test=card-v1]")).contains("Error rate").contains("ok below 2%, no-go above 5%").contains("24 errors of 3,000 requests");
        assertThat(text("[data-test=card-v2]")).contains("p95 latency").contains("990 ms").contains("WARNING");
        assertThat(text("[data-test=plan]")).contains("canary")
                .contains("canary-tenants");
        assertThat(bar()).isEqualTo("0");
        screenshot("01-overview-1280");

        browser.findElement(By.cssSelector("[data-test=reason]")).sendKeys("first cohort <b>bold</b>");
        browser.findElement(By.cssSelector("[data-test=plus10]")).click();
        wait.until(d -> "10".equals(bar()));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=percentage]"), "10%"));
        assertThat(text("[data-test=outcome]")).contains("Rollout set to 10%");
        String onV2 = text("[data-test=tenants-on-v2]");
        assertThat(onV2).doesNotStartWith("0 /");
        screenshot("02-after-plus10");

        browser.findElement(By.cssSelector("[data-test=rollback-open]")).click();
        WebElement confirm = browser.findElement(By.cssSelector("[data-test=rollback-confirm]"));
        WebElement submit = browser.findElement(By.cssSelector("[data-test=rollback-submit]"));
        browser.findElement(By.cssSelector("[data-test=rollback-reason]")).sendKeys("v2 misbehaves");
        confirm.sendKeys("not-the-flag");
        assertThat(submit.isEnabled()).as("rollback stays disabled until the flag name is typed").isFalse();
        confirm.clear();
        confirm.sendKeys(flag);
        screenshot("03-rollback-confirmation");
        submit.click();
        wait.until(d -> "0".equals(bar()));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-test=percentage]"), "0%"));
        admin().get().uri("/api/v1/audit?flag={f}&actor=operator", flag).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("rollback.partial")
                        .contains("v2 misbehaves").contains("first cohort"));

        browser.manage().window().setSize(new Dimension(390, 2400));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=card-v2]")));
        screenshot("04-overview-phone");
        browser.get(baseUrl() + "/dashboard/flags/" + flag + "/routers");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=effective]")));
        screenshot("09-routers-phone");
        browser.get(baseUrl() + "/dashboard/flags/" + flag + "/tenants?q=" + tenants.get(0));
        screenshot("05-tenants-phone");
        browser.manage().window().setSize(new Dimension(1280, 1700));
        browser.get(baseUrl() + "/dashboard/audit?flag=" + flag);
        screenshot("06-audit-1280");

        browser.manage().deleteAllCookies();
        browser.get(overview);
        logIn("viewer", VIEWER_PASSWORD);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=card-v2]")));
        assertThat(browser.findElements(By.cssSelector("#actions button"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("main form[method=post]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-test=viewer-note]")).isDisplayed()).isTrue();
        screenshot("07-viewer-1280");
    }

    @Test
    void panelsRefreshByThemselvesWithoutLosingAHalfTypedReason() throws IOException {
        String flag = createFlag(true);
        browser.get(baseUrl() + "/dashboard/flags/" + flag);
        logIn("operator", OPERATOR_PASSWORD);
        WebElement reason = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-test=reason]")));
        reason.sendKeys("half typed");
        admin().put().uri("/api/v1/flags/{f}/percentage", flag).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(java.util.Map.of("percentage", 7, "reason", "someone else")).exchange().expectStatus().isOk();
        wait.until(d -> "7".equals(bar()));
        assertThat(browser.findElement(By.cssSelector("[data-test=reason]")).getAttribute("value")).isEqualTo("half typed");
        // the page still holds the old revision: acting on it shows the conflict, not an overwrite
        browser.findElement(By.cssSelector("[data-test=plus10]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-test=outcome]"),
                "someone else changed the flag"));
        screenshot("08-stale-conflict");
        assertThat(bar()).isEqualTo("7");
    }

    private void logIn(String user, String password) {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username"))).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private String bar() {
        return fresh(() -> browser.findElement(By.cssSelector("[data-test=progress-bar]")).getAttribute("aria-valuenow"));
    }

    /** The text of an element that an htmx refresh may swap between finding it and reading it. */
    private String text(String css) {
        return fresh(() -> browser.findElement(By.cssSelector(css)).getText());
    }

    private static String fresh(java.util.function.Supplier<String> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (org.openqa.selenium.StaleElementReferenceException swapped) {
                if (attempt == 10) {
                    throw swapped;
                }
            }
        }
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
