package dev.switchboard.controlplane.alerts;

import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.web.RequestIds;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Guard alerts with their delivery state per sink, and acknowledging one. */
@RestController
class AlertController {

    private final StoredAlertBoard board;

    AlertController(StoredAlertBoard board) {
        this.board = board;
    }

    @GetMapping("/api/v1/alerts")
    Flux<AlertView> list(@RequestParam Optional<String> flag, @RequestParam Optional<String> status,
                         @RequestParam Optional<Integer> limit) {
        boolean openOnly = status.map(s -> {
            if (!s.equals("open") && !s.equals("all")) {
                throw new InvalidInput("status", "one-of", "must be open or all");
            }
            return s.equals("open");
        }).orElse(false);
        int n = limit.orElse(100);
        if (n < 1 || n > 500) {
            throw new InvalidInput("limit", "range", "must be an integer between 1 and 500");
        }
        return board.recent(flag, openOnly, n);
    }

    @PostMapping("/api/v1/alerts/{id}/ack")
    Mono<AlertView> acknowledge(@PathVariable long id, @AuthenticationPrincipal Caller caller,
                                ServerWebExchange exchange) {
        return board.acknowledge(id, caller, RequestIds.of(exchange).orElse(null));
    }
}
