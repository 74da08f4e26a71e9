package dev.switchboard.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The control plane's REST API over the JDK's HttpClient. Every non-2xx answer becomes an {@link ApiError}
 * whose message is one line built from the problem body, and whose exit code follows {@link ExitCodes}.
 */
final class ApiClient {

    record Response(int status, Map<String, String> headers, JsonNode body) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Settings settings;
    private final JsonMapper json;
    private final HttpClient http;

    ApiClient(Settings settings, JsonMapper json) {
        this.settings = settings;
        this.json = json;
        // HTTP/1.1: the control plane speaks plain http locally and an h2c upgrade would only cost a round trip
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equals(settings.server().getScheme())) {
            // HttpClient loads the default SSLContext (trust store and all) even for plain http: ~60 ms of
            // start-up; a context without trust material is never used on an http connection
            builder.sslContext(plainHttpOnly());
        }
        this.http = builder.build();
    }

    private static javax.net.ssl.SSLContext plainHttpOnly() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[0], new javax.net.ssl.TrustManager[0], null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    JsonNode get(String path, Map<String, ?> query) {
        return send("GET", path + queryString(query), null, Map.of()).body();
    }

    JsonNode get(String path) {
        return get(path, Map.of());
    }

    Response send(String method, String path, Object body, Map<String, String> headers) {
        String payload = body == null ? null : json.writeValueAsString(body);
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
        URI uri = URI.create(settings.server() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "switchboard-cli")
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connection timed out");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(rootMessage(e));
        } catch (IllegalArgumentException e) {
            throw unreachable("unknown host " + uri.getHost());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k.toLowerCase(java.util.Locale.ROOT),
                String.join(",", v)));
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw error(method, path, response.statusCode(), body);
        }
        return new Response(response.statusCode(), responseHeaders, body);
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
            return json.readTree(text);
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
