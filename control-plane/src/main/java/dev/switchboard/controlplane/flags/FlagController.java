package dev.switchboard.controlplane.flags;

import dev.switchboard.controlplane.confirmations.Confirmations;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.evaluation.Evaluation;
import dev.switchboard.controlplane.evaluation.FlagEvaluator;
import dev.switchboard.controlplane.evaluation.RolloutRule;
import dev.switchboard.controlplane.evaluation.Variant;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.tenants.TenantStore;
import dev.switchboard.controlplane.web.RequestIds;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The flag API: state, changes, the four rollback levels, snapshots, explain and preview. */
@RestController
@RequestMapping("/api/v1/flags")
class FlagController {

    static final String CHANGED_HEADER = "Switchboard-Changed";

    record ExplainView(String tenantId, String variant, String reason, int bucket, int percentage, long revision) {
        static ExplainView of(Evaluation e) {
            return new ExplainView(e.tenantId(), e.variant().wireName(), e.reason().wireName(), e.bucket(),
                    e.percentage(), e.revision());
        }
    }

    record Preview(int percentage, long revision, int totalTenants, int onV2, List<String> newlyOnV2,
                   List<String> tenantsOnV2) {
    }

    private final FlagStore flags;
    private final FlagChanges changes;
    private final TenantStore tenants;
    private final Confirmations confirmations;

    FlagController(FlagStore flags, FlagChanges changes, TenantStore tenants, Confirmations confirmations) {
        this.flags = flags;
        this.changes = changes;
        this.tenants = tenants;
        this.confirmations = confirmations;
    }

    @GetMapping
    Flux<FlagState> list() {
        return flags.findAll();
    }

    @GetMapping("/{flag}")
    Mono<ResponseEntity<FlagView>> get(@PathVariable String flag) {
        return existing(flag).flatMap(state -> confirmations.of(state).map(c ->
                ResponseEntity.ok().eTag("\"" + state.revision() + "\"").body(FlagView.of(state, c))));
    }

    @PostMapping
    Mono<ResponseEntity<FlagState>> create(@Valid @RequestBody FlagRequests.CreateFlag request,
                                           @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return changes.create(request.name(), request.description() == null ? "" : request.description(), caller,
                        context(caller, "created", Optional.empty(), exchange))
                .map(state -> ResponseEntity.status(HttpStatus.CREATED).body(state));
    }

    @PutMapping("/{flag}/percentage")
    Mono<ResponseEntity<FlagState>> setPercentage(@PathVariable String flag,
                                                  @Valid @RequestBody FlagRequests.SetPercentage request,
                                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return respond(changes.apply(flag, new FlagCommand.SetPercentage(request.percentage()),
                context(caller, request.reason(), revision(ifMatch), exchange)));
    }

    @PostMapping("/{flag}/enable")
    Mono<ResponseEntity<FlagState>> enable(@PathVariable String flag, @Valid @RequestBody FlagRequests.WithReason request,
                                           @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                           @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return respond(changes.apply(flag, new FlagCommand.SetEnabled(true),
                context(caller, request.reason(), revision(ifMatch), exchange)));
    }

    @PostMapping("/{flag}/disable")
    Mono<ResponseEntity<FlagState>> disable(@PathVariable String flag, @Valid @RequestBody FlagRequests.WithReason request,
                                            @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                            @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return respond(changes.apply(flag, new FlagCommand.SetEnabled(false),
                context(caller, request.reason(), revision(ifMatch), exchange)));
    }

    @PutMapping("/{flag}/tenants/{tenant}")
    Mono<ResponseEntity<FlagState>> setOverride(@PathVariable String flag, @PathVariable String tenant,
                                                @Valid @RequestBody FlagRequests.SetOverride request,
                                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        OverrideMode mode = OverrideMode.valueOf(request.mode().toUpperCase(java.util.Locale.ROOT));
        return respond(registeredTenant(tenant).then(changes.apply(flag, new FlagCommand.SetOverride(tenant,
                        Optional.of(mode), "tenant." + (mode == OverrideMode.ALLOW ? "allowed" : "denied")),
                context(caller, request.reason(), revision(ifMatch), exchange))));
    }

    @DeleteMapping("/{flag}/tenants/{tenant}")
    Mono<ResponseEntity<FlagState>> clearOverride(@PathVariable String flag, @PathVariable String tenant,
                                                  @RequestParam Optional<String> reason,
                                                  @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                                  @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        return respond(changes.apply(flag, new FlagCommand.SetOverride(tenant, Optional.empty(), "tenant.cleared"),
                context(caller, reason.orElse(""), revision(ifMatch), exchange)));
    }

    @PostMapping("/{flag}/rollback")
    Mono<ResponseEntity<FlagState>> rollback(@PathVariable String flag, @Valid @RequestBody FlagRequests.Rollback request,
                                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                             @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        ChangeContext context = context(caller, request.reason(), revision(ifMatch), exchange);
        return switch (request.level()) {
            case "tenant" -> {
                if (request.tenantId() == null || request.tenantId().isBlank()) {
                    yield Mono.error(new InvalidInput("tenantId", "required", "is required for a tenant rollback"));
                }
                yield respond(existing(flag).then(registeredTenant(request.tenantId())).then(changes.apply(flag,
                        new FlagCommand.SetOverride(request.tenantId(), Optional.of(OverrideMode.DENY), "rollback.tenant"),
                        context)));
            }
            case "partial" -> {
                if (request.percentage() == null) {
                    yield Mono.error(new InvalidInput("percentage", "required", "is required for a partial rollback"));
                }
                yield respond(changes.apply(flag, new FlagCommand.PartialRollback(request.percentage()), context));
            }
            case "total" -> respond(changes.apply(flag, new FlagCommand.TotalRollback(), context));
            default -> {
                if (request.snapshotId() == null) {
                    yield existing(flag).then(flags.snapshots(flag, 5).collectList()).flatMap(latest ->
                            Mono.error(new InvalidInput(List.of(new FieldViolation("snapshotId", "required",
                                    "is required for a data rollback: choose one of the snapshots listed")),
                                    Map.of("snapshots", latest))));
                }
                yield respond(existing(flag).then(flags.snapshot(flag, request.snapshotId()))
                        .switchIfEmpty(Mono.error(() -> new NotFound("snapshot", String.valueOf(request.snapshotId()))))
                        .flatMap(snapshot -> changes.apply(flag, new FlagCommand.RestoreSnapshot(snapshot), context)));
            }
        };
    }

    @GetMapping("/{flag}/snapshots")
    Mono<List<Snapshot>> snapshots(@PathVariable String flag, @RequestParam Optional<String> limit) {
        int size = limit.map(FlagController::limit).orElse(50);
        return existing(flag).then(flags.snapshots(flag, size).collectList());
    }

    @GetMapping("/{flag}/explain")
    Mono<ExplainView> explain(@PathVariable String flag, @RequestParam String tenant) {
        return existing(flag).flatMap(state -> registeredTenant(tenant)
                .thenReturn(ExplainView.of(FlagEvaluator.evaluate(state.rule(), tenant))));
    }

    /** Explain for many tenants at once (the SDK agreement proof and the dashboard's tenant counts use it). */
    @PostMapping("/{flag}/explain")
    Mono<List<ExplainView>> explainMany(@PathVariable String flag, @Valid @RequestBody FlagRequests.ExplainMany request) {
        return existing(flag).map(state -> request.tenants().stream()
                .map(t -> ExplainView.of(FlagEvaluator.evaluate(state.rule(), t))).toList());
    }

    /**
     * Which registered tenants would be on v2 at another percentage, and which of them would be new; lets a
     * release manager (and the data migration) see who the next stage moves before moving them.
     */
    @GetMapping("/{flag}/preview")
    Mono<Preview> preview(@PathVariable String flag, @RequestParam String percentage) {
        int target = percentageParam(percentage);
        return existing(flag).flatMap(state -> tenants.allIds().collectList().map(ids -> {
            RolloutRule now = state.rule();
            RolloutRule then = new RolloutRule(state.name(), true, target, Set.copyOf(state.allowTenants()),
                    Set.copyOf(state.denyTenants()), state.revision());
            List<String> onV2 = ids.stream().filter(t -> FlagEvaluator.evaluate(then, t).variant() == Variant.V2).toList();
            List<String> newly = onV2.stream().filter(t -> FlagEvaluator.evaluate(now, t).variant() != Variant.V2).toList();
            return new Preview(target, state.revision(), ids.size(), onV2.size(), newly, onV2);
        }));
    }

    private Mono<FlagState> existing(String flag) {
        return flags.find(flag).switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)));
    }

    private Mono<Void> registeredTenant(String tenant) {
        return tenants.exists(tenant).flatMap(exists -> exists ? Mono.<Void>empty()
                : Mono.error(new NotFound("tenant", tenant)));
    }

    private static Mono<ResponseEntity<FlagState>> respond(Mono<ChangeOutcome> outcome) {
        return outcome.map(o -> ResponseEntity.ok().eTag("\"" + o.flag().revision() + "\"")
                .header(CHANGED_HEADER, String.valueOf(o.changed())).body(o.flag()));
    }

    private static ChangeContext context(Caller caller, String reason, Optional<Long> revision, ServerWebExchange exchange) {
        return new ChangeContext(caller, reason, revision, RequestIds.of(exchange));
    }

    /** {@code If-Match} carries the revision the caller saw: {@code 12}, {@code "12"} or {@code W/"12"}. */
    static Optional<Long> revision(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return Optional.empty();
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new InvalidInput("If-Match", "revision", "must be the flag revision you saw, e.g. \"12\"");
        }
    }

    private static int limit(String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= 500) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput("limit", "range", "must be an integer between 1 and 500");
    }

    private static int percentageParam(String value) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 0 && parsed <= 100) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput("percentage", "range", "must be an integer between 0 and 100");
    }
}
