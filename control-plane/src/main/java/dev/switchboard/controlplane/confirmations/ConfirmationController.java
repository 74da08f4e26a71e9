package dev.switchboard.controlplane.confirmations;

import dev.switchboard.contract.RevisionConfirmation;
import dev.switchboard.contract.Violation;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.metrics.MetricsClock;
import dev.switchboard.controlplane.security.Caller;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Router confirmations: the router token must be bound to the router id the confirmation names (403 otherwise);
 * the body is checked by the contract's rules (400 naming the fields).
 */
@RestController
class ConfirmationController {

    private final Confirmations confirmations;
    private final MetricsClock clock;

    ConfirmationController(Confirmations confirmations, MetricsClock clock) {
        this.confirmations = confirmations;
        this.clock = clock;
    }

    @PostMapping(RevisionConfirmation.PATH)
    Mono<ResponseEntity<Void>> confirm(@RequestBody RevisionConfirmation confirmation,
                                       @AuthenticationPrincipal Caller caller) {
        if (confirmation != null && confirmation.routerId() != null && !caller.speaksFor(confirmation.routerId())) {
            return Mono.error(new NotPermitted("this router token is bound to router "
                    + caller.routerId().orElse("(none)") + " and may not confirm for another router"));
        }
        List<Violation> violations = RevisionConfirmation.check(confirmation, clock.now());
        if (!violations.isEmpty()) {
            return Mono.error(new InvalidInput(violations.stream()
                    .map(v -> new FieldViolation(v.field(), v.rule(), v.message())).toList(), Map.of()));
        }
        return confirmations.confirm(confirmation).thenReturn(ResponseEntity.noContent().<Void>build());
    }
}
