package dev.switchboard.controlplane.guard;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.flags.FlagStore;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.web.RequestIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** A flag's guard settings (policy, auto-advance, thresholds) and its recent verdicts. */
@RestController
class GuardController {

    record GuardSettings(String policy, Boolean autoAdvance, Thresholds thresholds, String reason) {
    }

    record GuardView(String flag, String policy, boolean autoAdvance, Thresholds thresholds, boolean customThresholds,
                     GuardState state, List<GuardStore.StoredVerdict> verdicts) {
    }

    private final GuardStore store;
    private final GuardService guard;
    private final FlagStore flags;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    GuardController(GuardStore store, GuardService guard, FlagStore flags, AuditLog audit, TransactionalOperator tx) {
        this.store = store;
        this.guard = guard;
        this.flags = flags;
        this.audit = audit;
        this.tx = tx;
    }

    @GetMapping("/api/v1/flags/{flag}/guard")
    Mono<GuardView> get(@PathVariable String flag, @RequestParam Optional<Integer> verdicts) {
        int n = Math.max(1, Math.min(verdicts.orElse(20), 200));
        return flags.find(flag).switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)))
                .then(store.find(flag))
                .flatMap(g -> store.verdicts(flag, n).collectList().map(v -> new GuardView(flag, g.policy().wireName(),
                        g.autoAdvance(), guard.thresholdsFor(g), g.thresholds().isPresent(), g.state(), v)));
    }

    /**
     * Admin: change the policy, auto-advance, or the thresholds (all refused with every reason when unsound), with
     * the reason recorded in the audit log.
     */
    @PutMapping("/api/v1/flags/{flag}/guard")
    Mono<GuardView> put(@PathVariable String flag, @RequestBody GuardSettings body,
                        @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        if (body == null) {
            return Mono.error(new InvalidInput("body", "required", "is required"));
        }
        // turning auto-rollback off is a change like any other: it says why, in the audit log
        if (body.reason() == null || body.reason().isBlank()) {
            return Mono.error(new InvalidInput("reason", "required", "is required"));
        }
        if (body.reason().length() > 1000) {
            return Mono.error(new InvalidInput("reason", "size", "must be at most 1000 characters"));
        }
        if (body.thresholds() != null) {
            List<String> problems = body.thresholds().problems();
            if (!problems.isEmpty()) {
                return Mono.error(new InvalidInput(problems.stream()
                        .map(p -> new FieldViolation("thresholds." + p.split(" ")[0], "consistent", p)).toList(),
                        Map.of()));
            }
        }
        Optional<GuardPolicy> policy = Optional.ofNullable(body.policy()).map(GuardPolicy::fromWire);
        Mono<GuardView> change = flags.find(flag).switchIfEmpty(Mono.error(() -> new NotFound("flag", flag)))
                .then(store.find(flag))
                .flatMap(before -> store.saveSettings(flag, policy.orElse(before.policy()),
                                body.autoAdvance() == null ? before.autoAdvance() : body.autoAdvance(),
                                body.thresholds() == null ? before.thresholds() : Optional.of(body.thresholds()))
                        .then(store.find(flag))
                        .flatMap(after -> audit.append(AuditEvent.of(caller, "guard.settings", flag, null,
                                Map.of("policy", before.policy().wireName(), "autoAdvance", before.autoAdvance()),
                                Map.of("policy", after.policy().wireName(), "autoAdvance", after.autoAdvance(),
                                        "thresholds", guard.thresholdsFor(after)),
                                body.reason(), RequestIds.of(exchange).orElse(null)))))
                .then(Mono.defer(() -> get(flag, Optional.of(5))));
        return change.as(tx::transactional);
    }
}
