package dev.switchboard.controlplane.alerts;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** One alert destination: sends a stored payload and says what happened. */
interface Sink {

    String name();

    Mono<Result> send(AlertStore.Delivery delivery);

    /** What a send attempt came to. */
    sealed interface Result {
        record Delivered() implements Result {
        }

        /** Worth trying again; {@code after} is the party's Retry-After when it gave one. */
        record Retry(java.util.Optional<Duration> after, String error) implements Result {
        }

        /** The party refused the message for good (e.g. PagerDuty 400): record it, never retry. */
        record Failed(String error) implements Result {
        }
    }
}
