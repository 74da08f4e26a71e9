package dev.switchboard.controlplane.audit;

import dev.switchboard.controlplane.web.TextRules;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.web.RequestIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads the audit log, and records events of work done outside the control plane (data migration runs and
 * restores from the CLI), so that everything that changed the rollout is in one history.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

    record AuditPage(List<AuditEvent> items, Long nextBefore) {
    }

    /** An event recorded by a tool; its action is always prefixed with {@code external.}. */
    record ExternalEvent(@NotBlank @Size(max = 80) @Pattern(regexp = "[a-z0-9._-]+",
            message = "must be lower-case letters, digits, dot, dash or underscore") String action,
                         @Size(max = 100) String flag, @Size(max = 128) String tenantId,
                         @NotBlank @Size(max = 1000) String reason, Map<String, Object> details) {
    }

    private final AuditLog log;

    AuditController(AuditLog log) {
        this.log = log;
    }

    @GetMapping
    Mono<AuditPage> find(@RequestParam Optional<String> flag, @RequestParam Optional<String> tenant,
                         @RequestParam Optional<String> actor, @RequestParam Optional<String> action,
                         @RequestParam Optional<String> since, @RequestParam Optional<String> until,
                         @RequestParam Optional<String> before, @RequestParam Optional<String> limit) {
        int size = limit.map(v -> intParam("limit", v)).orElse(50);
        if (size < 1 || size > 500) {
            return Mono.error(new InvalidInput("limit", "range", "must be between 1 and 500"));
        }
        AuditQuery query = new AuditQuery(flag, tenant, actor, action, since.map(v -> time("since", v)),
                until.map(v -> time("until", v)), before.map(v -> (long) intParam("before", v)), size);
        return log.find(query).collectList().map(items -> new AuditPage(items,
                items.size() == size ? items.get(items.size() - 1).id() : null));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<Map<String, Long>> record(@Valid @RequestBody ExternalEvent event, @AuthenticationPrincipal Caller caller,
                                   ServerWebExchange exchange) {
        TextRules.checkNested("details", event.details());
        return log.append(AuditEvent.of(caller, "external." + event.action(), event.flag(), event.tenantId(), null,
                        event.details(), event.reason(), RequestIds.of(exchange).orElse(null)))
                .map(id -> Map.of("id", id));
    }

    private static int intParam(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "integer", "must be an integer");
        }
    }

    private static OffsetDateTime time(String name, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInput(name, "timestamp", "must be an ISO-8601 timestamp with offset, e.g. 2026-11-22T10:00:00Z");
        }
    }
}
