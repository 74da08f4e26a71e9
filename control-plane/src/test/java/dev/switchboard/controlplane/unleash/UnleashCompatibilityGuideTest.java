package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The Java and Node examples of docs/unleash-compatibility.md, taken from the guide word for word, run against
 * this control plane with the real SDKs (unleash-client-java from the test classpath, unleash-client from the npm
 * registry installed under target/), and answer exactly what explain answers for 200 tenants at 50 %.
 */
class UnleashCompatibilityGuideTest extends ControlPlaneTest {

    private static final Path GUIDE = Path.of("..", "docs", "unleash-compatibility.md");
    private static final String NODE_SDK = "unleash-client@6.12.2";
    private static final String FLAG = "voice_agent_v2";
    private static final List<String> TENANTS = IntStream.range(0, 200).mapToObj(i -> "guide-tenant-" + i).toList();

    @Test
    void theJavaExampleRunsAndAgreesWithExplain() throws Exception {
        FlagChangesDriver driver = flagAtFifty();
        Path dir = Files.createDirectories(Path.of("target", "guide-examples", "java")).toAbsolutePath();
        Path source = dir.resolve("FlagCheck.java");
        Files.writeString(source, example("java"));
        List<String> command = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                source.toString()));
        command.addAll(TENANTS);
        Map<String, Boolean> answers = run(command, dir);
        assertThat(driver.assertAgreement(TENANTS, answers::get)).isBetween(60L, 140L);
    }

    @Test
    void theNodeExampleRunsAndAgreesWithExplain() throws Exception {
        FlagChangesDriver driver = flagAtFifty();
        Path dir = Files.createDirectories(Path.of("target", "guide-examples", "node")).toAbsolutePath();
        if (!Files.exists(dir.resolve("node_modules").resolve("unleash-client"))) {
            List<String> install = List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    "--prefix", dir.toString(), NODE_SDK);
            Process npm = new ProcessBuilder(install).redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as("npm install " + NODE_SDK).isTrue();
            assertThat(npm.exitValue()).as("npm install %s: %s", NODE_SDK, out).isZero();
        }
        Path script = dir.resolve("check.js");
        Files.writeString(script, example("node"));
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
        command.addAll(TENANTS);
        Map<String, Boolean> answers = run(command, dir);
        assertThat(driver.assertAgreement(TENANTS, answers::get)).isBetween(60L, 140L);
    }

    /** {@code voice_agent_v2} at 50 %, enabled (created if this database does not have it yet). */
    private FlagChangesDriver flagAtFifty() {
        int status = admin().post().uri("/api/v1/flags").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", FLAG, "description", "compatibility guide")).exchange()
                .expectBody().returnResult().getStatus().value();
        assertThat(status).isIn(201, 409);
        FlagChangesDriver driver = new FlagChangesDriver(admin(), FLAG);
        driver.enable();
        driver.percentage(50);
        return driver;
    }

    /** The fenced block that follows the guide's {@code <!-- example: NAME} marker. */
    private static String example(String name) throws IOException {
        String guide = Files.readString(GUIDE);
        Matcher m = Pattern.compile("<!-- example: " + name + "[^>]*-->\\s*```\\w+\\n(.*?)```", Pattern.DOTALL)
                .matcher(guide);
        assertThat(m.find()).as("the guide has a %s example", name).isTrue();
        return m.group(1);
    }

    private Map<String, Boolean> run(List<String> command, Path workDir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_URL", "http://127.0.0.1:" + port);
        builder.environment().put("SWITCHBOARD_CLIENT_TOKEN", CLIENT_TOKEN);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s exited with: %s", command.get(0), out).isZero();
        Map<String, Boolean> answers = new HashMap<>();
        for (String line : out.split("\\R")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && TENANTS.contains(parts[0]) && parts[1].matches("v[12]")) {
                answers.put(parts[0], parts[1].equals("v2"));
            }
        }
        assertThat(answers.keySet()).as("an answer per tenant in: %s", out).containsExactlyInAnyOrderElementsOf(TENANTS);
        return answers;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
