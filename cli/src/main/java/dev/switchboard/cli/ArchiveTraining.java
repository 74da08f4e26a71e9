package dev.switchboard.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The class-data archive's training run: bin/switchboard runs this once per jar build and JDK, under
 * {@code -XX:ArchiveClassesAtExit}, and every later run maps the classes it loaded from the archive instead of
 * loading them from the jar and the JDK's modules.
 *
 * <p>Why a training run rather than archiving the user's first command: the archive holds only what the dumping
 * run loaded, so a first {@code --help} (what people and LauncherIT run first) left HTTP, JSON and table output out
 * of it and every later {@code status} ~30 ms slower. This run exercises the common paths (help and the whole
 * tree, {@code status} in both formats, a change with a JSON body, an error answer, completion, the migrate
 * command's model) against a throwaway loopback server that answers canned JSON. It prints nothing, talks to no
 * real control plane, reads no config file, and gives up after {@link #DEADLINE_MS}: the launcher then simply runs
 * without an archive.
 */
public final class ArchiveTraining {

    private static final long DEADLINE_MS = 30_000;
    private static final String FLAG = "training_flag";

    private static final String[][] RUNS = {
            {"--help"},
            {"status"},
            {"status", "-o", "json"},
            {"status", FLAG},
            {"status", FLAG, "-o", "json"},
            {"rollout", "set", FLAG, "10", "--reason", "archive training"},
            {"tenant", "explain", FLAG, "unknown-tenant"},
            {"rollout", "plan", FLAG, "--help"},
            {"migrate", "--help"},
            {"completion"},
    };

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException, ClassNotFoundException {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(DEADLINE_MS);
                Runtime.getRuntime().halt(1); // no archive rather than a hung first run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "training-deadline");
        watchdog.setDaemon(true);
        watchdog.start();
        Class.forName(Main.class.getName()); // the real entry point, so it is archived too
        // 127.0.0.1 explicitly: the URL below names it, whatever the JVM's IPv4/IPv6 preference
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            Thread accept = new Thread(() -> serve(server), "training-server");
            accept.setDaemon(true);
            accept.start();
            Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-training-no-home");
            // the environment as Main reads it, pointed at the loopback server and away from any config file
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put(Settings.SERVER_ENV, "http://127.0.0.1:" + server.getLocalPort());
            env.put(Settings.TOKEN_ENV, "archive-training");
            env.put("XDG_CONFIG_HOME", nowhere.resolve("config").toString());
            CliContext context = new CliContext(env, nowhere, question -> Optional.empty(), Clock.systemUTC());
            PrintWriter discard = new PrintWriter(Writer.nullWriter());
            for (String[] run : RUNS) {
                CommandLine cli = SwitchboardCommand.commandLine(context, run);
                cli.setOut(discard);
                cli.setErr(discard);
                cli.execute(run);
            }
        }
        System.exit(0);
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> answer(socket), "training-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed at the end of training
            }
        }
    }

    /**
     * HTTP/1.1 with keep-alive, as the CLI's client uses it: one canned JSON answer per request, lists chunked
     * as the control plane sends them and single objects with a Content-Length.
     */
    private static void answer(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                     StandardCharsets.ISO_8859_1));
             OutputStream out = socket.getOutputStream()) {
            for (String requestLine = in.readLine(); requestLine != null && !requestLine.isEmpty();
                 requestLine = in.readLine()) {
                int length = 0;
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
                    }
                }
                in.skip(length); // request bodies are ASCII JSON here, one char per byte
                String path = requestLine.split(" ")[1].replaceFirst("\\?.*", "");
                String body = body(path);
                String status = body == null ? "404 Not Found" : "200 OK";
                if (body == null) {
                    body = "{\"status\":404,\"detail\":\"no tenant unknown-tenant\",\"errors\":[{\"field\":\"tenant\","
                            + "\"message\":\"unknown\"}]}";
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                boolean chunked = body.startsWith("[");
                out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nSwitchboard-Changed: true\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(bytes.length) + "\r\n"
                        : "Content-Length: " + bytes.length + "\r\n\r\n")).getBytes(StandardCharsets.ISO_8859_1));
                out.write(bytes);
                if (chunked) {
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; training carries on with the next run
        }
    }

    private static String body(String path) {
        String flag = "{\"name\":\"" + FLAG + "\",\"description\":\"d\",\"enabled\":true,\"percentage\":10,"
                + "\"allowTenants\":[\"a\"],\"denyTenants\":[],\"revision\":2,\"stage\":\"canary\","
                + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"updatedBy\":\"training\"}";
        String side = "{\"requests\":10,\"errors\":0,\"errorRate\":0.0,\"avgLatencyMs\":12.5}";
        return switch (path) {
            case "/api/v1/flags" -> "[" + flag + "]";
            case "/api/v1/flags/" + FLAG, "/api/v1/flags/" + FLAG + "/percentage" -> flag;
            case "/api/v1/flags/" + FLAG + "/preview" -> "{\"onV2\":1,\"totalTenants\":3}";
            case "/api/v1/flags/" + FLAG + "/comparison" -> "{\"window\":\"5m\",\"v1\":" + side + ",\"v2\":" + side + "}";
            case "/api/v1/alerts" -> "[{\"id\":1,\"severity\":\"warning\",\"flag\":\"" + FLAG + "\",\"rule\":\"r\","
                    + "\"status\":\"open\",\"raisedAt\":\"2026-01-01T00:00:00Z\",\"explanation\":\"e\"}]";
            default -> null;
        };
    }
}
