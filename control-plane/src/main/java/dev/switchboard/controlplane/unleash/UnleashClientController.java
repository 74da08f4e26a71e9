package dev.switchboard.controlplane.unleash;

import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.flags.FlagStore;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Unleash client API the routers' SDKs talk to (client token only, see ApiSecurityConfig): the features
 * document with ETags for polling, the SSE stream, and the SDKs' registration and metrics.
 */
@RestController
@RequestMapping("/api/client")
class UnleashClientController {

    /** Every flag lives in Unleash's default project; SDKs configured for another project get none. */
    private static final String PROJECT = "default";

    private final FlagStore flags;
    private final ClientStreams streams;
    private final ClientRegistry registry;
    private final JsonMapper json;

    UnleashClientController(FlagStore flags, ClientStreams streams, ClientRegistry registry, JsonMapper json) {
        this.flags = flags;
        this.streams = streams;
        this.registry = registry;
        this.json = json;
    }

    @GetMapping("/features")
    Mono<ResponseEntity<String>> features(@RequestParam Optional<String> namePrefix,
                                          @RequestParam Optional<String> project,
                                          @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false)
                                          String ifNoneMatch) {
        boolean ourProject = project.map(p -> p.isBlank() || p.equals(PROJECT)).orElse(true);
        return flags.findAll()
                .filter(flag -> ourProject && namePrefix.map(prefix -> flag.name().startsWith(prefix)).orElse(true))
                .collectList()
                .map(list -> ClientFeatures.of(list, json))
                .map(features -> {
                    // no-cache: caches may keep it but must revalidate, which is what the ETag is for
                    if (features.matches(ifNoneMatch)) {
                        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(features.etag())
                                .cacheControl(CacheControl.noCache()).<String>build();
                    }
                    return ResponseEntity.ok().eTag(features.etag()).cacheControl(CacheControl.noCache())
                            .contentType(MediaType.APPLICATION_JSON).body(features.body());
                });
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
                    return registry.register(registration, started);
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
                    return registry.record(metrics, start, stop);
                })
                .thenReturn(ResponseEntity.accepted().build());
    }
}
