package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Unleash client API the routers' SDKs talk to (client token only, see ApiSecurityConfig): the features
 * document with ETags for polling, the SSE stream, and the SDKs' registration and metrics.
 */
@RestController
@RequestMapping("/api/client")
class UnleashClientController {

    /** Every flag lives in Unleash's default project; SDKs configured for another project get none. */
    private static final String PROJECT = "default";

    private static final String NO_CACHE = CacheControl.noCache().getHeaderValue();

    private final ClientStates states;
    private final ClientStreams streams;
    private final ClientRegistry registry;

    UnleashClientController(ClientStates states, ClientStreams streams, ClientRegistry registry) {
        this.states = states;
        this.streams = streams;
        this.registry = registry;
    }

    /**
     * The features document. The answer is built once per flag state and scope (see {@link ClientStates}); a
     * poll whose {@code If-None-Match} names the current ETag gets a 304 without a database round trip and
     * without serialising anything.
     */
    @GetMapping("/features")
    Mono<Void> features(@RequestParam Optional<String> namePrefix, @RequestParam Optional<String> project,
                        ServerWebExchange exchange) {
        boolean ourProject = project.map(UnleashClientController::isOurProject).orElse(true);
        ClientState.Scope scope = ClientState.Scope.of(ourProject, namePrefix.orElse(""));
        ClientState ready = states.fresh();
        if (ready != null) {
            return answer(ready.features(scope), exchange);
        }
        return states.current().flatMap(state -> answer(state.features(scope), exchange));
    }

    /** One feature, as Unleash serves it (the SDKs do not use it; people and scripts do). */
    @GetMapping("/features/{name}")
    Mono<Void> feature(@PathVariable String name, ServerWebExchange exchange) {
        return states.current().flatMap(state -> state.feature(name)
                .map(body -> write(exchange, HttpStatus.OK, null, body))
                .orElseGet(() -> Mono.error(new NotFound("feature", name))));
    }

    static boolean isOurProject(String project) {
        return project == null || project.isBlank() || project.equals(PROJECT);
    }

    /** The poll's answer from a kept payload: 304 when If-None-Match names it, else the kept bytes. */
    static Mono<Void> answer(ClientFeatures features, ServerWebExchange exchange) {
        String ifNoneMatch = exchange.getRequest().getHeaders().getFirst(HttpHeaders.IF_NONE_MATCH);
        if (features.matches(ifNoneMatch)) {
            return write(exchange, HttpStatus.NOT_MODIFIED, features.etag(), null);
        }
        return write(exchange, HttpStatus.OK, features.etag(), features.body());
    }

    /** Writes the kept bytes as they are: wrapped, not copied, not encoded again. */
    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String etag, byte[] body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        // no-cache: caches may keep it but must revalidate, which is what the ETag is for
        headers.setCacheControl(NO_CACHE);
        if (etag != null) {
            headers.setETag(etag);
        }
        if (body == null) {
            return response.setComplete();
        }
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    @GetMapping(path = "/streaming", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> streaming(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.setCacheControl(CacheControl.noStore());
        // tells nginx-style proxies not to buffer the stream
        headers.set("X-Accel-Buffering", "no");
        return streams.open();
    }

    @PostMapping("/register")
    Mono<ResponseEntity<Void>> register(@Valid @RequestBody ClientRequests.Registration registration) {
        return Mono.defer(() -> {
                    Optional<Instant> started = ClientDates.optional("started", registration.started());
                    return uncancelled(registry.register(registration, started));
                })
                .thenReturn(ResponseEntity.accepted().build());
    }

    @PostMapping("/metrics")
    Mono<ResponseEntity<Void>> metrics(@Valid @RequestBody ClientRequests.Metrics metrics) {
        return Mono.defer(() -> {
                    Instant start = ClientDates.required("bucket.start", metrics.bucket().start());
                    Instant stop = ClientDates.required("bucket.stop", metrics.bucket().stop());
                    if (stop.isBefore(start)) {
                        return Mono.error(new InvalidInput("bucket.stop",
                                "after-start", "must not be before bucket.start"));
                    }
                    return uncancelled(registry.record(metrics, start, stop));
                })
                .thenReturn(ResponseEntity.accepted().build());
    }

    /**
     * A post that was read is stored even if its client hangs up meanwhile; the write is not cancelled halfway
     * (a statement cancelled in the middle of its answer leaves the driver's buffers unreleased).
     */
    private static Mono<Void> uncancelled(Mono<Void> write) {
        return Mono.fromFuture(write.toFuture(), true);
    }
}
