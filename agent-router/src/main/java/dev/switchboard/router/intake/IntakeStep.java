package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.forwarding.BoundedBytes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Step 1, intake: strict HTTP/1.1 framing, size and media type from the headers, duplicate security headers,
 * the tenant hint, then the raw body read once and bounded. The buffer grows with what actually arrives (never
 * allocated at the declared length: a declared 1 MiB that never comes costs nothing), and the server's read
 * timeout closes a connection whose body stops arriving.
 */
@Component
class IntakeStep {

    private static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED;
    private static final int INITIAL_BUFFER = 4096;
    /** Headers that authenticate or name the tenant: a second copy is refused (the backend would see both). */
    private static final List<String> SINGLE = List.of("x-signature-256", "x-signature-timestamp", "x-signature",
            "x-timestamp", "x-vapi-secret", "authorization", "x-twilio-signature", "x-retell-signature",
            "content-type", "content-length", "host");

    private final RouterProperties properties;

    IntakeStep(RouterProperties properties) {
        this.properties = properties;
    }

    Mono<WebhookExchange> read(WebhookExchange exchange, HttpServerRequest request) {
        long declared = checkHeaders(exchange, request);
        int max = properties.maxBodyBytes();
        int initial = declared > 0 ? (int) Math.min(declared, INITIAL_BUFFER) : INITIAL_BUFFER;
        return request.receive()
                .collect(() -> new BoundedBytes(initial, max), (buffer, chunk) -> {
                    if (!buffer.append(chunk)) {
                        throw tooLarge();
                    }
                })
                .flatMap(buffer -> {
                    if (buffer.size() == 0) {
                        return Mono.error(WebhookRejection.badRequest("empty_body", "body", "body is empty"));
                    }
                    exchange.body = buffer.toByteArray();
                    return Mono.just(exchange);
                });
    }

    /** Returns the declared body length (-1 when not declared, e.g. chunked). */
    private long checkHeaders(WebhookExchange exchange, HttpServerRequest request) {
        HttpHeaders headers = exchange.headers;
        checkFraming(request, headers);
        for (String name : SINGLE) {
            if (headers.getAll(name).size() > 1) {
                throw WebhookRejection.badRequest("duplicate_header", name, name + " must appear once");
            }
        }
        long length = contentLength(headers);
        if (length > properties.maxBodyBytes()) {
            throw tooLarge();
        }
        Optional<MediaType> type = contentType(headers);
        boolean ok = exchange.provider == Provider.TWILIO
                ? type.map(t -> t.isCompatibleWith(FORM)).orElse(false)
                : type.map(t -> t.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || (t.getSubtype().endsWith("+json") && "application".equals(t.getType()))).orElse(false);
        if (!ok) {
            String expected = exchange.provider == Provider.TWILIO ? FORM.toString() : MediaType.APPLICATION_JSON_VALUE;
            throw new WebhookRejection(415, "unsupported_media_type", "Content-Type",
                    "Content-Type must be " + expected + " for " + exchange.provider.path());
        }
        exchange.tenantHint = tenantHint(exchange);
        return length;
    }

    /**
     * RFC 9112: Transfer-Encoding must end in chunked and name only known codings, and never comes with a
     * Content-Length (the classic request-smuggling pair); HTTP/1.1 requires Host. Such a request is refused and
     * its connection closed (the framing cannot be trusted for a next request).
     */
    private static void checkFraming(HttpServerRequest request, HttpHeaders headers) {
        if (request.version() == HttpVersion.HTTP_1_1 && !headers.contains(HttpHeaderNames.HOST)) {
            throw framing("Host", "HTTP/1.1 requires a Host header");
        }
        List<String> te = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (te.isEmpty()) {
            return;
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            throw framing("Transfer-Encoding", "Transfer-Encoding and Content-Length together are refused");
        }
        String[] codings = String.join(",", te).toLowerCase(Locale.ROOT).split(",");
        for (int i = 0; i < codings.length; i++) {
            String coding = codings[i].trim();
            boolean last = i == codings.length - 1;
            if (last ? !coding.equals("chunked") : !(coding.equals("gzip") || coding.equals("deflate") || coding.equals("compress"))) {
                throw framing("Transfer-Encoding", "Transfer-Encoding must end with chunked and name only known codings");
            }
        }
    }

    private static WebhookRejection framing(String field, String detail) {
        return new WebhookRejection(400, "invalid_framing", field, detail);
    }

    /** The signed tenant header of the generic intake, else the {@code tenant} query parameter of the webhook URL. */
    private String tenantHint(WebhookExchange exchange) {
        if (exchange.provider == Provider.GENERIC) {
            String header = properties.generic().tenantHeader();
            List<String> values = exchange.headers.getAll(header);
            if (values.size() > 1) {
                throw WebhookRejection.badRequest("duplicate_header", header, header + " must appear once");
            }
            if (values.isEmpty()) {
                if (properties.generic().tenantPointer() == null || properties.generic().tenantPointer().isBlank()) {
                    throw WebhookRejection.badRequest("missing_field", header, "tenant is required: header " + header);
                }
                return null;
            }
            return TenantIds.require(values.get(0).trim(), header);
        }
        List<String> hint = new QueryStringDecoder(exchange.uri).parameters().get("tenant");
        if (hint == null || hint.isEmpty()) {
            return null;
        }
        if (hint.size() > 1) {
            throw WebhookRejection.badRequest("duplicate_parameter", "tenant", "the tenant query parameter must appear once");
        }
        return TenantIds.require(hint.get(0), "tenant");
    }

    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            if (length < 0) {
                throw WebhookRejection.badRequest("invalid_header", "Content-Length", "Content-Length is negative");
            }
            return length;
        } catch (NumberFormatException e) {
            throw WebhookRejection.badRequest("invalid_header", "Content-Length", "Content-Length is not a number");
        }
    }

    private static Optional<MediaType> contentType(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MediaType.parseMediaType(value));
        } catch (InvalidMediaTypeException e) {
            return Optional.empty(); // an unparseable Content-Type is as good as none: 415
        }
    }

    private WebhookRejection tooLarge() {
        return new WebhookRejection(413, "body_too_large", "body", "body exceeds " + properties.maxBodyBytes() + " bytes");
    }
}
