package dev.switchboard.controlplane.web;

import dev.switchboard.controlplane.errors.AlreadyExists;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.errors.Refused;
import dev.switchboard.controlplane.errors.StaleRevision;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where errors become HTTP: every domain error, framework error and infrastructure failure is
 * turned into an {@code application/problem+json} body here. Callers' mistakes are 4xx naming the field and the
 * rule; the database being away is 503; anything unexpected is a 500 without a stack trace in the body.
 */
@Component
@Order(-2) // before Spring Boot's default error handler
class ProblemMapping implements WebExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private final ProblemWriter writer;

    ProblemMapping(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        Problem problem = toProblem(error, exchange);
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            exchange.getResponse().getHeaders().set("Retry-After", "5");
        }
        return writer.write(exchange, problem);
    }

    static Problem tooLarge(long limit, ServerWebExchange exchange) {
        return Problem.of(HttpStatus.CONTENT_TOO_LARGE, "request body is larger than " + limit + " bytes")
                .with("errors", List.of(new FieldViolation("body", "max-size",
                        "must be at most " + limit + " bytes")));
    }

    Problem toProblem(Throwable error, ServerWebExchange exchange) {
        if (error instanceof NotFound e) {
            return Problem.of(HttpStatus.NOT_FOUND, e.getMessage()).with("errors",
                    List.of(new FieldViolation(e.kind(), "exists", e.getMessage())));
        }
        if (error instanceof InvalidInput e) {
            Problem p = Problem.of(HttpStatus.BAD_REQUEST, e.getMessage()).with("errors", e.violations());
            for (Map.Entry<String, Object> member : e.extra().entrySet()) {
                p = p.with(member.getKey(), member.getValue());
            }
            return p;
        }
        if (error instanceof StaleRevision e) {
            return Problem.of(HttpStatus.CONFLICT, e.getMessage())
                    .with("expectedRevision", e.expected()).with("current", e.current());
        }
        if (error instanceof NotPermitted e) {
            return Problem.of(HttpStatus.FORBIDDEN, e.getMessage());
        }
        if (error instanceof AlreadyExists e) {
            return Problem.of(HttpStatus.CONFLICT, e.getMessage());
        }
        if (error instanceof Refused e) {
            Problem p = Problem.of(HttpStatus.CONFLICT, e.getMessage());
            for (Map.Entry<String, Object> member : e.extra().entrySet()) {
                p = p.with(member.getKey(), member.getValue());
            }
            return p;
        }
        if (error instanceof AccessDeniedException) {
            return Problem.of(HttpStatus.FORBIDDEN, "your role does not allow this action");
        }
        PayloadTooLarge tooLarge = find(error, PayloadTooLarge.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge.limit(), exchange);
        }
        if (find(error, DataBufferLimitException.class) != null) {
            return Problem.of(HttpStatus.CONTENT_TOO_LARGE, "request body is too large");
        }
        if (error instanceof WebExchangeBindException e) {
            List<FieldViolation> violations = e.getFieldErrors().stream().map(ProblemMapping::violation).toList();
            return Problem.of(HttpStatus.BAD_REQUEST, violations.isEmpty() ? "invalid request"
                            : violations.stream().map(v -> v.field() + ": " + v.message())
                            .collect(Collectors.joining("; ")))
                    .with("errors", violations);
        }
        if (error instanceof UnsupportedMediaTypeStatusException e) {
            return Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "content type "
                    + e.getContentType() + " is not supported here; send " + e.getSupportedMediaTypes())
                    .with("errors", List.of(new FieldViolation("Content-Type", "supported",
                            "must be one of " + e.getSupportedMediaTypes())));
        }
        if (error instanceof MissingRequestValueException e) {
            return Problem.of(HttpStatus.BAD_REQUEST, e.getName() + " is required").with("errors",
                    List.of(new FieldViolation(e.getName(), "required", "is required")));
        }
        if (error instanceof ServerWebInputException e) {
            return inputProblem(e);
        }
        if (DatabaseUnavailable.matches(error)) {
            LOG.warn("database unavailable: {}", error.toString());
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE,
                    "the database is unavailable; nothing was changed; retry shortly");
        }
        if (error instanceof ResponseStatusException e) {
            HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
            return Problem.of(status == null ? HttpStatus.BAD_REQUEST : status,
                    e.getReason() == null ? e.getStatusCode().toString() : e.getReason());
        }
        try (var ignored = MDC.putCloseable("requestId", RequestIds.of(exchange).orElse("-"))) {
            LOG.error("unexpected error on {} {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), error);
        }
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR,
                "unexpected error; it has been logged with the request id");
    }

    private static Problem inputProblem(ServerWebInputException e) {
        MismatchedInputException mismatch = find(e, MismatchedInputException.class);
        if (mismatch instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            String message = "is not a member of this request (known: " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            return Problem.of(HttpStatus.BAD_REQUEST, field + ": " + message)
                    .with("errors", List.of(new FieldViolation(field, "unknown", message)));
        }
        if (mismatch instanceof StrictJson.ControlCharacter control) {
            String field = path(control);
            return Problem.of(HttpStatus.BAD_REQUEST, field + ": " + TextRules.CONTROL_MESSAGE)
                    .with("errors", List.of(new FieldViolation(field, TextRules.RULE, TextRules.CONTROL_MESSAGE)));
        }
        StreamReadException read = find(e, StreamReadException.class);
        if (read != null && read.getOriginalMessage() != null
                && read.getOriginalMessage().startsWith(DUPLICATE)) {
            String name = read.getOriginalMessage().substring(DUPLICATE.length());
            name = name.substring(0, Math.max(0, name.indexOf('"')));
            String parent = path(read);
            String field = parent.equals("body") ? name : parent + "." + name;
            return Problem.of(HttpStatus.BAD_REQUEST, field + ": must be given once")
                    .with("errors", List.of(new FieldViolation(field, "duplicate", "must be given once")));
        }
        if (mismatch != null) {
            String field = path(mismatch);
            Class<?> target = mismatch.getTargetType();
            String rule = ruleForType(target);
            String message = "must be " + article(rule);
            return Problem.of(HttpStatus.BAD_REQUEST, field + ": " + message)
                    .with("errors", List.of(new FieldViolation(field, rule, message)));
        }
        if (find(e, JacksonException.class) != null) {
            return Problem.of(HttpStatus.BAD_REQUEST, "body: must be valid JSON")
                    .with("errors", List.of(new FieldViolation("body", "json", "must be valid JSON")));
        }
        String reason = e.getReason() == null ? "" : e.getReason();
        if (reason.toLowerCase(Locale.ROOT).contains("no request body") || reason.contains("body is missing")) {
            return Problem.of(HttpStatus.BAD_REQUEST, "body: is required")
                    .with("errors", List.of(new FieldViolation("body", "required", "is required")));
        }
        if (e.getMethodParameter() != null && e.getMethodParameter().getParameterName() != null) {
            String name = e.getMethodParameter().getParameterName();
            return Problem.of(HttpStatus.BAD_REQUEST, name + ": " + reason)
                    .with("errors", List.of(new FieldViolation(name, "format", reason)));
        }
        return Problem.of(HttpStatus.BAD_REQUEST, reason.isEmpty() ? "invalid request" : reason);
    }

    private static final String DUPLICATE = "Duplicate Object property \"";

    /** The JSON path of the member an exception is about, e.g. {@code rows[3].id}; {@code body} for the root. */
    private static String path(JacksonException e) {
        String field = e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return field.isEmpty() ? "body" : field;
    }

    private static String ruleForType(Class<?> target) {
        if (target == null) {
            return "type";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "integer";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "boolean";
        }
        if (target == String.class) {
            return "string";
        }
        if (target.isEnum()) {
            return "one-of";
        }
        if (List.class.isAssignableFrom(target) || target.isArray()) {
            return "array";
        }
        return "object";
    }

    private static String article(String rule) {
        return switch (rule) {
            case "integer" -> "an integer";
            case "boolean" -> "true or false";
            case "string" -> "a string";
            case "array" -> "an array";
            case "one-of" -> "one of the allowed values";
            default -> "a JSON object";
        };
    }

    private static FieldViolation violation(FieldError error) {
        String code = error.getCode() == null ? "invalid" : error.getCode();
        String rule = switch (code) {
            case "NotNull", "NotBlank", "NotEmpty" -> "required";
            case "Min", "DecimalMin", "PositiveOrZero", "Positive" -> "min";
            case "Max", "DecimalMax" -> "max";
            case "Size" -> "size";
            case "Pattern" -> "pattern";
            default -> code.toLowerCase(Locale.ROOT);
        };
        return new FieldViolation(error.getField(), rule, error.getDefaultMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return (T) t;
            }
        }
        return null;
    }
}
