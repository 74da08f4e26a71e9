package dev.switchboard.controlplane.alerts;

import dev.switchboard.controlplane.security.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Alerts for people: the active ones, and acknowledging one. */
public interface AlertBoard {

    Flux<AlertView> active(java.util.Optional<String> flag);

    Mono<AlertView> acknowledge(long id, Caller caller, String requestId);
}
