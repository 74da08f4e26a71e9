package dev.switchboard.controlplane.stages;

import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.web.RequestIds;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The stage plan of a flag and advancing it. */
@RestController
class StageController {

    record AdvanceRequest(String reason, Boolean force) {
    }

    private final StageAdvance stages;

    StageController(StageAdvance stages) {
        this.stages = stages;
    }

    @GetMapping("/api/v1/flags/{flag}/plan")
    Mono<StageAdvance.PlanView> plan(@PathVariable String flag) {
        return stages.plan(flag);
    }

    @PostMapping("/api/v1/flags/{flag}/advance")
    Mono<StageAdvance.Advanced> advance(@PathVariable String flag, @RequestBody AdvanceRequest request,
                                        @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            return Mono.error(new InvalidInput("reason", "required", "is required"));
        }
        if (request.reason().length() > 1000) {
            return Mono.error(new InvalidInput("reason", "size", "must be at most 1000 characters"));
        }
        return stages.advance(flag, request.reason(), Boolean.TRUE.equals(request.force()), caller,
                RequestIds.of(exchange));
    }
}
