package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.FlagDecider;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.dedup.RetryDeduplicator;
import dev.switchboard.router.dedup.StoredAnswer;
import dev.switchboard.router.forwarding.BackendAnswer;
import dev.switchboard.router.forwarding.BackendForwarder;
import dev.switchboard.router.forwarding.BackendRequest;
import dev.switchboard.router.forwarding.BoundedBytes;
import dev.switchboard.router.forwarding.CircuitBreakers;
import dev.switchboard.router.metrics.RouterMetrics;
import dev.switchboard.router.metrics.WebhookOutcome;
import dev.switchboard.router.pinning.CallPinning;
import dev.switchboard.router.signatures.SignatureCheck;
import dev.switchboard.router.signatures.SignatureVerifier;
import dev.switchboard.router.tenants.IdentifierRegistry;
import dev.switchboard.router.tenants.TenantResolution;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * One webhook from arrival to answer: size and media type, raw body read once, signature on the raw bytes,
 * only then parsing, tenant, call pinning / decision, de-duplication, forwarding, metrics.
 */
@Component
class WebhookPipeline {

    private static final Logger log = LoggerFactory.getLogger(WebhookPipeline.class);
    private static final MediaType FORM = MediaType.APPLICATION_FORM_URLENCODED;

    private final RouterProperties properties;
    private final SignatureVerifier signatures;
    private final EventParser parser;
    private final IdentifierRegistry registry;
    private final FlagDecider decider;
    private final CallPinning pinning;
    private final RetryDeduplicator dedup;
    private final BackendForwarder forwarder;
    private final CircuitBreakers breakers;
    private final RouterMetrics metrics;
    private final ProblemResponses problems;

    WebhookPipeline(RouterProperties properties, SignatureVerifier signatures, EventParser parser,
            IdentifierRegistry registry, FlagDecider decider, CallPinning pinning, RetryDeduplicator dedup,
            BackendForwarder forwarder, CircuitBreakers breakers, RouterMetrics metrics, ProblemResponses problems) {
        this.properties = properties;
        this.signatures = signatures;
        this.parser = parser;
        this.registry = registry;
        this.decider = decider;
        this.pinning = pinning;
        this.dedup = dedup;
        this.forwarder = forwarder;
        this.breakers = breakers;
        this.metrics = metrics;
        this.problems = problems;
    }

    Mono<WebhookReply> handle(Provider provider, HttpServerRequest request) {
        long started = System.nanoTime();
        HttpHeaders headers = request.requestHeaders();
        String requestId = RequestIds.acceptOrCreate(headers.get("X-Request-ID"));
        return Mono.defer(() -> readBody(request, checkSizeAndType(provider, headers)))
                .flatMap(body -> route(provider, request.uri(), headers, body, requestId, started, intakeLoop(request)))
                .onErrorResume(WebhookRejection.class, rejection -> {
                    metrics.rejected(provider.id(), rejection.status(), rejection.reason());
                    return Mono.just(problems.of(rejection, requestId));
                })
                .onErrorResume(e -> {
                    log.error("router failure on {} request {}", provider.id(), requestId, e);
                    return Mono.just(problems.of(502, "router_failure", null, "the router could not handle this webhook", requestId));
                });
    }

    /** Returns the declared body length (-1 when not declared, e.g. chunked). */
    private long checkSizeAndType(Provider provider, HttpHeaders headers) {
        long length = contentLength(headers);
        if (length > properties.maxBodyBytes()) {
            throw tooLarge();
        }
        Optional<MediaType> type = contentType(headers);
        boolean ok = provider == Provider.TWILIO
                ? type.map(t -> t.isCompatibleWith(FORM)).orElse(false)
                : type.map(t -> t.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || (t.getSubtype().endsWith("+json") && "application".equals(t.getType()))).orElse(false);
        if (!ok) {
            String expected = provider == Provider.TWILIO ? FORM.toString() : MediaType.APPLICATION_JSON_VALUE;
            throw new WebhookRejection(415, "unsupported_media_type", "Content-Type",
                    "Content-Type must be " + expected + " for " + provider.path());
        }
        return length;
    }

    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
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
        return new WebhookRejection(413, "body_too_large", "body",
                "body exceeds " + properties.maxBodyBytes() + " bytes");
    }

    /** The raw body, read once and bounded (a chunked body has no declared length to check up front). */
    private Mono<byte[]> readBody(HttpServerRequest request, long declaredLength) {
        int max = properties.maxBodyBytes();
        int initial = declaredLength > 0 ? (int) declaredLength : 1024;
        return request.receive()
                .collect(() -> new BoundedBytes(initial, max), (buffer, chunk) -> {
                    if (!buffer.append(chunk)) {
                        throw tooLarge();
                    }
                })
                .flatMap(buffer -> buffer.size() == 0
                        ? Mono.error(WebhookRejection.badRequest("empty_body", "body", "body is empty"))
                        : Mono.just(buffer.toByteArray()));
    }

    private static EventLoop intakeLoop(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    private Mono<WebhookReply> route(Provider provider, String uri, HttpHeaders headers, byte[] body, String requestId,
            long started, EventLoop intakeLoop) {
        // Form decoding is part of Twilio's signature scheme; nothing else is parsed before the check passes.
        Map<String, List<String>> form = provider == Provider.TWILIO ? FormBody.parse(body) : Map.of();
        SignatureCheck check = signatures.verify(provider, headers::get, body, twilioUrl(uri), () -> form);
        if (!check.valid()) {
            metrics.signatureFailure(provider.id(), check.reason().replace(' ', '_'));
            throw new WebhookRejection(401, "invalid_signature", signatureHeader(provider), check.reason());
        }
        ParsedEvent event = parser.parse(provider, body, form, headers::get);
        TenantResolution tenant = event.explicitTenant()
                .map(t -> new TenantResolution(Optional.of(t), Optional.empty()))
                .orElseGet(() -> registry.resolve(event.identifiers()));
        if (check.keyTenant().isPresent() && !check.keyTenant().equals(tenant.tenantId())) {
            metrics.signatureFailure(provider.id(), "key_of_other_tenant");
            throw new WebhookRejection(401, "invalid_signature", signatureHeader(provider),
                    "signed with a tenant secret that does not belong to this event's tenant");
        }
        if (tenant.tenantId().isEmpty()) {
            metrics.unresolvedTenant(provider.id());
        }
        BackendRequest backendRequest = new BackendRequest(provider.path(), headers, body, tenant.tenantOrUnresolved(), requestId,
                intakeLoop);
        Mono<StoredAnswer> answer = event.retryKey()
                .map(key -> dedup.once(key, () -> forward(event, tenant, backendRequest, started))
                        .map(outcome -> {
                            if (outcome.duplicate()) {
                                metrics.handled(new WebhookOutcome(provider.id(), outcome.answer().variant(),
                                        outcome.answer().tenant(), event.callId(), false, false, false, 0, -1, "deduplicated"));
                            }
                            return outcome.answer();
                        }))
                .orElseGet(() -> forward(event, tenant, backendRequest, started));
        return answer.map(a -> new WebhookReply(a.status(), a.contentType(), a.body(), requestId, a.variant()));
    }

    private Mono<StoredAnswer> forward(ParsedEvent event, TenantResolution tenant, BackendRequest request, long started) {
        String provider = event.provider().id();
        boolean[] newCall = {false};
        Variant variant = event.callId()
                .map(callId -> {
                    CallPinning.Pin pin = pinning.pin(provider, callId, () -> decide(tenant));
                    newCall[0] = pin.newCall();
                    return pin.variant();
                })
                .orElseGet(() -> decide(tenant));
        Duration deadline = properties.deadlines().forEvent(provider, event.eventType());
        boolean failoverAllowed = properties.failover().appliesTo(provider, event.eventType());
        return forwarder.forward(variant, request, deadline, failoverAllowed).map(answer -> {
            double latencyMs = (System.nanoTime() - started) / 1_000_000.0;
            String tenantId = tenant.tenantOrUnresolved();
            if (answer.failedOver()) {
                metrics.handled(new WebhookOutcome(provider, Variant.V2.id(), tenantId, event.callId(), newCall[0], true,
                        true, breakers.drainOpens(Variant.V2), -1, "failover"));
                metrics.handled(new WebhookOutcome(provider, Variant.V1.id(), tenantId, event.callId(), false,
                        answer.backendFailed(), false, breakers.drainOpens(Variant.V1), latencyMs,
                        answer.backendFailed() ? "backend_error" : "forwarded"));
            } else {
                metrics.handled(new WebhookOutcome(provider, answer.answeredBy().id(), tenantId, event.callId(), newCall[0],
                        answer.backendFailed(), false, breakers.drainOpens(answer.answeredBy()), latencyMs,
                        answer.backendFailed() ? "backend_error" : "forwarded"));
            }
            if (event.endsCall()) {
                event.callId().ifPresent(id -> pinning.end(provider, id));
            }
            return toStored(event, answer, tenantId, variant);
        });
    }

    private Variant decide(TenantResolution tenant) {
        return tenant.tenantId().map(decider::decide).orElse(Variant.V1);
    }

    /** Backend answers pass unchanged; when no backend answered, the router answers in the provider's terms. */
    private StoredAnswer toStored(ParsedEvent event, BackendAnswer answer, String tenantId, Variant chosen) {
        String variant = answer.answeredBy().id();
        if (answer.body() != null) {
            return new StoredAnswer(answer.status(), answer.contentType(), answer.body(), variant, tenantId);
        }
        if (event.provider() == Provider.VAPI && event.eventType().equals("assistant-request")) {
            // Vapi speaks this error to the caller instead of waiting out its 7.5 s limit in silence.
            byte[] body = "{\"error\":\"The assistant is unavailable right now. Please try again in a few minutes.\"}"
                    .getBytes(StandardCharsets.UTF_8);
            return new StoredAnswer(200, MediaType.APPLICATION_JSON_VALUE, body, variant, tenantId);
        }
        String rule = answer.status() == 504 ? "backend_deadline" : "backend_unavailable";
        String detail = "voice agent " + variant + " did not answer (" + answer.failure() + ")";
        byte[] body = ("{\"type\":\"https://switchboard.dev/problems/" + rule.replace('_', '-') + "\",\"title\":\""
                + (answer.status() == 504 ? "Gateway Timeout" : "Bad Gateway") + "\",\"status\":" + answer.status()
                + ",\"detail\":\"" + detail + "\",\"rule\":\"" + rule + "\"}").getBytes(StandardCharsets.UTF_8);
        return new StoredAnswer(answer.status(), ProblemResponses.PROBLEM_TYPE, body, variant, tenantId);
    }

    /** The URL Twilio signed: the configured public base + the request target as received (path and query). */
    private String twilioUrl(String uri) {
        String base = properties.publicUrl();
        if (base == null || base.isBlank()) {
            return null;
        }
        return base.replaceAll("/+$", "") + uri;
    }

    private static String signatureHeader(Provider provider) {
        return switch (provider) {
            case VAPI -> "X-Vapi-Secret|Authorization|x-signature";
            case TWILIO -> "X-Twilio-Signature";
            case RETELL -> "x-retell-signature";
            case GENERIC -> "X-Signature-256";
        };
    }
}
