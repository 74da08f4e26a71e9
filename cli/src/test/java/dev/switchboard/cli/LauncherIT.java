package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/switchboard} as a user runs it, on the jar this build just packaged: failsafe runs this in the
 * integration-test phase, after package, so the jar always exists here (no skip when it is missing).
 */
class LauncherIT {

    record Run(int exit, String out, String err) {
    }

    @TempDir
    Path cache;

    @Test
    void helpAndCompletionFromAFreshBuildAndTheClassDataArchiveOnFirstRun() throws Exception {
        Path launcher = Path.of("..", "bin", "switchboard").toAbsolutePath().normalize();
        assertThat(Path.of("target", "switchboard.jar")).exists();

        Run first = run(launcher, "--help");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("Usage: switchboard", "rollback", "Exit codes:", "3   cannot reach");
        assertThat(first.err()).isEmpty();
        Path archive;
        try (Stream<Path> files = Files.list(cache.resolve("switchboard"))) {
            List<Path> all = files.collect(Collectors.toList());
            assertThat(all).hasSize(1);
            archive = all.get(0);
        }
        assertThat(archive.getFileName().toString()).startsWith("switchboard-").endsWith(".jsa");
        // written by the training run, not by this --help: it also holds what status loads (HTTP client, JSON)
        Run classes = run(List.of(javaAsTheLauncherPicksIt(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load", "-jar", "target/switchboard.jar",
                "--server", "http://127.0.0.1:1", "--token", "t", "status"));
        assertThat(classes.exit()).as(classes.err()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(classes.out()).contains("dev.switchboard.cli.StatusCommand source: shared objects file",
                "dev.switchboard.cli.ApiClient source: shared objects file",
                "sun.net.www.protocol.http.HttpURLConnection source: shared objects file");

        Run second = run(launcher, "--help");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEmpty();

        Run completion = run(launcher, "completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "rollback");

        Run usage = run(launcher, "rollback");
        assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("Missing required");
        assertThat(usage.out()).isEmpty();
    }

    private Run run(Path launcher, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    /** The archive is only valid for the JDK that wrote it: bin/switchboard's choice, JAVA_HOME else PATH. */
    private static String javaAsTheLauncherPicksIt() {
        String home = System.getenv("JAVA_HOME");
        if (home != null && !home.isEmpty() && Files.isExecutable(Path.of(home, "bin", "java"))) {
            return Path.of(home, "bin", "java").toString();
        }
        return "java";
    }

    private Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().put("XDG_CONFIG_HOME", cache.resolve("config").toString());
        Path out = Files.createTempFile(cache, "out", ".txt");
        Path err = Files.createTempFile(cache, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
