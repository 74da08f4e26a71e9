package dev.switchboard.demo;

import dev.switchboard.demo.agent.SimulatedAgent;
import dev.switchboard.demo.database.DemoDatabases;
import dev.switchboard.demo.sinks.AlertSinks;
import dev.switchboard.demo.sinks.SinkReport;
import dev.switchboard.demo.traffic.Signer;
import dev.switchboard.demo.traffic.TenantCatalog;
import dev.switchboard.demo.traffic.TrafficGenerator;
import dev.switchboard.testing.PostgresServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo kit's entry point:
 * {@code java -jar switchboard-demo.jar <postgres|databases|agent|sinks-server|sinks|tenants|traffic>}.
 */
@Command(name = "switchboard-demo", mixinStandardHelpOptions = true,
        description = "Simulated voice agents, alert sinks and call traffic for the Switchboard demo.",
        subcommands = {DemoMain.Postgres.class, DemoMain.Databases.class, DemoMain.Agent.class, DemoMain.SinksServer.class, DemoMain.Sinks.class, DemoMain.Tenants.class,
                DemoMain.Traffic.class})
public final class DemoMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    private static void runUntilStopped(String what, AutoCloseable resource) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                resource.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
            System.out.println(what + " stopped");
            stopped.countDown();
        }));
        stopped.await();
    }

    @Command(name = "postgres", description = "Run the demo's private PostgreSQL (embedded binaries, data under --data-dir)"
            + " until stopped; writes its coordinates to --server-file.")
    static final class Postgres implements Callable<Integer> {
        @Option(names = "--data-dir", required = true) Path dataDir;
        @Option(names = "--server-file", required = true) Path serverFile;

        @Override
        public Integer call() throws Exception {
            PostgresServer server = PostgresServer.startEmbedded(dataDir);
            DemoDatabases.writeServerFile(server, serverFile);
            System.out.println("postgres listening on " + server.host() + ":" + server.port() + " (data under " + dataDir + ")");
            CountDownLatch forever = new CountDownLatch(1);
            forever.await(); // the server stops with the JVM (SIGTERM from bin/demo)
            return 0;
        }
    }

    @Command(name = "databases", description = "Drop and create the demo's databases and load the voice-agent platform's"
            + " schema and v1 data; prints the server as PG_HOST/PG_PORT/PG_USER lines for bin/demo.")
    static final class Databases implements Callable<Integer> {
        @Option(names = "--server-file", description = "written by the postgres command; unused when "
                + PostgresServer.URL_VARIABLE + " is set") Path serverFile;
        @Option(names = "--switchboard-db", required = true) String switchboardDb;
        @Option(names = "--agents-db", description = "the voice-agent platform's database (recreated with v1 data)")
        String agentsDb;
        @Option(names = "--tenants", defaultValue = "300") int tenants;
        @Option(names = "--keep-existing", description = "create --switchboard-db only when missing, never drop it")
        boolean keepExisting;
        @Option(names = "--env-file", required = true, description = "where to write the server's coordinates (mode 600)")
        Path envFile;

        @Override
        public Integer call() throws Exception {
            String url = System.getenv(PostgresServer.URL_VARIABLE);
            PostgresServer server = url != null && !url.isBlank() ? PostgresServer.parse(url)
                    : DemoDatabases.readServerFile(serverFile);
            if (keepExisting) {
                DemoDatabases.createIfMissing(server, switchboardDb);
            } else {
                DemoDatabases.recreate(server, switchboardDb, agentsDb, tenants);
            }
            Files.createDirectories(envFile.toAbsolutePath().getParent());
            Files.deleteIfExists(envFile);
            Files.createFile(envFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(envFile, "PG_HOST=" + server.host() + "\nPG_PORT=" + server.port() + "\nPG_USER='"
                    + server.user().replace("'", "") + "'\nPG_PASSWORD='" + server.password().replace("'", "") + "'\n");
            System.out.println((keepExisting ? "database " + switchboardDb : "fresh databases " + switchboardDb
                    + " (Switchboard)" + (agentsDb == null ? "" : " and " + agentsDb + " (voice-agent platform, v1 data of "
                    + tenants + " tenants)")) + " on " + server.host() + ":" + server.port());
            return 0;
        }
    }

    @Command(name = "agent", description = "Run a simulated voice agent (answers /webhooks/**; knobs at /admin/knobs).")
    static final class Agent implements Callable<Integer> {
        @Option(names = "--variant", required = true, description = "v1 or v2") String variant;
        @Option(names = "--port", required = true) int port;
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;

        @Override
        public Integer call() throws Exception {
            if (!variant.equals("v1") && !variant.equals("v2")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--variant must be v1 or v2");
            }
            SimulatedAgent agent = new SimulatedAgent(variant, host, port).start();
            System.out.println("agent " + variant + " listening on http://" + host + ":" + agent.port()
                    + "  knobs: " + agent.knobs().toJson());
            runUntilStopped("agent " + variant, agent);
            return 0;
        }
    }

    @Command(name = "sinks-server", description = "Run the simulated Slack and PagerDuty endpoints (WireMock).")
    static final class SinksServer implements Callable<Integer> {
        @Option(names = "--port", required = true) int port;
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;

        @Override
        public Integer call() throws Exception {
            AlertSinks sinks = new AlertSinks(host, port).start();
            System.out.println("sinks listening on http://" + host + ":" + sinks.port()
                    + "  (Slack: /api/chat.postMessage, PagerDuty: /v2/enqueue, journal: /__admin/requests)");
            runUntilStopped("sinks", sinks);
            return 0;
        }
    }

    @Command(name = "sinks", description = "Print the last messages the Slack and PagerDuty sinks received.")
    static final class Sinks implements Callable<Integer> {
        @Option(names = "--port", defaultValue = "9003") int port;
        @Option(names = "--host", defaultValue = "127.0.0.1") String host;
        @Option(names = "--last", defaultValue = "20") int last;

        @Override
        public Integer call() {
            List<String> lines = new SinkReport().lines(host, port, last);
            if (lines.isEmpty()) {
                System.out.println("(the sinks have received nothing yet)");
            }
            lines.forEach(System.out::println);
            return 0;
        }
    }

    @Command(name = "tenants", description = "Write the demo tenants' import file (JSON for POST /api/v1/tenants/import).")
    static final class Tenants implements Callable<Integer> {
        @Option(names = "--count", defaultValue = "300") int count;
        @Option(names = "--out", required = true) Path out;

        @Override
        public Integer call() throws Exception {
            TenantCatalog catalog = TenantCatalog.of(count);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, catalog.importJson(JsonMapper.builder().build()), StandardCharsets.UTF_8);
            System.out.println("wrote " + count + " tenants to " + out + "; canary: "
                    + String.join(",", catalog.canary().stream().map(t -> t.id()).toList()));
            return 0;
        }
    }

    @Command(name = "traffic", description = "Send whole calls to the routers at a steady rate.")
    static final class Traffic implements Callable<Integer> {
        @Option(names = "--routers", required = true, split = ",", description = "router base URLs, comma-separated")
        List<String> routers;
        @Option(names = "--rate", defaultValue = "20", description = "calls per second (default ${DEFAULT-VALUE})")
        double rate;
        @Option(names = "--tenants", defaultValue = "300") int tenants;
        @Option(names = "--event-gap-ms", defaultValue = "300") long eventGapMs;
        @Option(names = "--vapi-share", defaultValue = "0.6") double vapiShare;
        @Option(names = "--twilio-share", defaultValue = "0.3") double twilioShare;
        @Option(names = "--canary-share", defaultValue = "0.15",
                description = "share of calls on the canary (internal) tenants (default ${DEFAULT-VALUE})")
        double canaryShare;
        @Option(names = "--max-in-flight", defaultValue = "2000") int maxInFlight;
        @Option(names = "--duration-s", defaultValue = "0", description = "stop after this many seconds; 0 = until stopped")
        long durationSeconds;
        @Option(names = "--report-every-s", defaultValue = "10") long reportEvery;
        @Option(names = "--secret", description = "sign webhooks with this shared demo secret (or env SWITCHBOARD_DEMO_SIGNING_SECRET)")
        String secret;

        @Override
        public Integer call() throws Exception {
            String key = Optional.ofNullable(secret).orElse(System.getenv("SWITCHBOARD_DEMO_SIGNING_SECRET"));
            TrafficGenerator generator = new TrafficGenerator(new TrafficGenerator.Settings(
                    routers.stream().map(URI::create).toList(), rate, eventGapMs, vapiShare, twilioShare, canaryShare,
                    maxInFlight), TenantCatalog.of(tenants), new Signer(Optional.ofNullable(key)));
            System.out.println("traffic: " + rate + " calls/s to " + routers + (key == null ? " (unsigned)" : " (signed)"));
            generator.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                generator.close();
                System.out.println("[traffic] final: " + generator.summary());
            }));
            long started = System.currentTimeMillis();
            while (durationSeconds == 0 || System.currentTimeMillis() - started < durationSeconds * 1000) {
                Thread.sleep(reportEvery * 1000);
                System.out.println("[traffic] " + generator.summary());
            }
            generator.close();
            return 0;
        }
    }
}
