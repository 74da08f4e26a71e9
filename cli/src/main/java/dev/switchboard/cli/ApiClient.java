package dev.switchboard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The control plane's REST API over the JDK's {@link HttpURLConnection}. Every non-2xx answer becomes an
 * {@link ApiError} whose message is one line built from the problem body, and whose exit code follows
 * {@link ExitCodes}.
 *
 * <p>Why not {@code java.net.http.HttpClient}: a CLI run makes one to four requests and exits, and HttpClient's
 * set-up (selector thread, executor, its reactive body pipeline) cost ~300 ms of CPU per run even with
 * class-data sharing, against ~40 ms here (docs/benchmarks-cli.md).
 */
final class ApiClient {

    record Response(int status, Map<String, String> headers, JsonNode body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    static {
        // HttpURLConnection silently sends a request again when the connection fails before the answer (a
        // kept-alive one the server closed, say). Fine for GET, PUT and DELETE, which are idempotent here; a
        // rollback, an advance or a token creation (POST) must never be sent twice behind the operator's back.
        // Read once, when the JDK's HTTP client class initialises: set before the first request of the process.
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longest wait for the next bytes of an answer (a socket read timeout, not a deadline for the whole). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;

    ApiClient(Settings settings) {
        this.settings = settings;
    }

    JsonNode get(String path, Map<String, ?> query) {
        return send("GET", path + queryString(query), null, Map.of()).body();
    }

    JsonNode get(String path) {
        return get(path, Map.of());
    }

    Response send(String method, String path, Object body, Map<String, String> headers) {
        String payload = body == null ? null : Json.write(body);
        return exchange(method, path, payload, payload == null ? null : "application/json", headers);
    }

    Response sendText(String method, String path, String body, String contentType) {
        return exchange(method, path, body, contentType, Map.of());
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String queryString(Map<String, ?> query) {
        String joined = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> segment(e.getKey()) + "=" + segment(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
    }

    private Response exchange(String method, String path, String payload, String contentType,
                              Map<String, String> headers) {
        String token = settings.requireToken();
        URI uri;
        HttpURLConnection connection;
        try {
            uri = URI.create(settings.server() + path);
            connection = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IllegalArgumentException | IOException e) {
            throw unreachable("invalid URL " + settings.server() + path);
        }
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json, application/problem+json");
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("User-Agent", "switchboard-cli");
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            headers.forEach(connection::setRequestProperty);
            // buffered, not fixed-length streaming: in streaming mode a 401 surfaces as an HttpRetryException
            // instead of the server's answer
            connection.setDoOutput(payload != null);
            try {
                connection.connect();
            } catch (SocketTimeoutException e) {
                throw unreachable("connection timed out");
            }
            if (payload != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(payload.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            String text = read(status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream());
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> header : connection.getHeaderFields().entrySet()) {
                if (header.getKey() != null) { // the status line comes with a null name
                    responseHeaders.put(header.getKey().toLowerCase(java.util.Locale.ROOT),
                            String.join(",", header.getValue()));
                }
            }
            JsonNode body = parse(text);
            if (status / 100 != 2) {
                throw error(method, path, status, body);
            }
            // the connection stays open for the next request of this run (the JDK's keep-alive cache)
            return new Response(status, responseHeaders, body);
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (UnknownHostException e) {
            throw unreachable("unknown host " + uri.getHost());
        } catch (IOException e) {
            connection.disconnect();
            throw unreachable(rootMessage(e));
        }
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) { // an error status without a body
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private CliFailure unreachable(String why) {
        return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach the control plane at " + settings.server()
                + ": " + why);
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return Json.parse(text);
        } catch (JacksonException e) {
            // not JSON (a proxy's HTML page, say): keep the first line as the detail
            String firstLine = text.strip().lines().findFirst().orElse("");
            return JsonNodeFactory.instance.objectNode().put("detail",
                    firstLine.length() > 200 ? firstLine.substring(0, 200) + "…" : firstLine);
        }
    }

    private ApiError error(String method, String path, int status, JsonNode problem) {
        String detail = problem.path("detail").asString("");
        JsonNode errors = problem.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            String field = first.path("field").asString("");
            String message = first.path("message").asString("");
            if (!message.isEmpty() && !detail.contains(message)) {
                detail = (detail.isEmpty() ? "" : detail + " — ") + field + ": " + message
                        + (first.hasNonNull("rule") ? " [" + first.get("rule").asString() + "]" : "");
            }
        }
        String shortPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return switch (status) {
            case 401 -> new ApiError(ExitCodes.UNREACHABLE, "the control plane did not accept the token (from "
                    + settings.tokenSource() + "): " + orDefault(detail, "401 Unauthorized"), status, problem);
            case 403 -> new ApiError(ExitCodes.REFUSED, "refused (403): " + orDefault(detail,
                    "your role does not allow this action"), status, problem);
            case 409 -> new ApiError(ExitCodes.REFUSED, "refused (409): " + orDefault(detail, "conflict"), status,
                    problem);
            case 404 -> errors.isArray() && !errors.isEmpty()
                    ? new ApiError(ExitCodes.USAGE, "not found (404): " + detail, status, problem)
                    // a 404 without field errors is a route the server does not have (an older control plane)
                    : new ApiError(ExitCodes.REFUSED, "this control plane does not offer " + method + " " + shortPath
                    + " yet (404); it may be older than this CLI", status, problem);
            case 502, 503, 504 -> new ApiError(ExitCodes.UNREACHABLE, "control plane unavailable (" + status + "): "
                    + orDefault(detail, "try again shortly"), status, problem);
            default -> new ApiError(status >= 500 ? ExitCodes.REFUSED : ExitCodes.USAGE,
                    "rejected (" + status + "): " + orDefault(detail, "HTTP " + status + " on " + method + " "
                            + shortPath), status, problem);
        };
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
