package dev.switchboard.router.metrics;

import dev.switchboard.router.config.RouterProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every push interval: close the window and send every buffered window, oldest first, to
 * POST /api/v1/router-metrics. A window the control plane did not take (anything but 2xx) stays buffered for
 * the next push; the buffer is bounded and drops (and counts) the oldest.
 */
@Component
public class MetricsPusher {

    private static final Logger log = LoggerFactory.getLogger(MetricsPusher.class);

    private final MetricWindows windows;
    private final WebClient controlPlane;
    private final JsonMapper json;
    private final Duration interval;
    private final int capacity;
    private final Deque<MetricWindow> buffer = new ArrayDeque<>();
    private final Counter dropped;
    private final Counter pushed;
    private volatile Disposable schedule;

    public MetricsPusher(RouterProperties properties, MetricWindows windows, WebClient.Builder webClients,
            JsonMapper json, MeterRegistry meters) {
        this.windows = windows;
        this.json = json;
        this.interval = properties.metrics().pushInterval();
        this.capacity = properties.metrics().bufferedWindows();
        this.controlPlane = webClients.clone()
                .baseUrl(properties.controlPlaneUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.clientToken())
                .build();
        this.dropped = meters.counter("switchboard.router.metrics.windows.dropped");
        this.pushed = meters.counter("switchboard.router.metrics.windows.pushed");
        meters.gauge("switchboard.router.metrics.windows.buffered", buffer, b -> bufferedCount());
    }

    @PostConstruct
    void start() {
        schedule = Flux.interval(interval, interval)
                .onBackpressureDrop()
                .concatMap(tick -> pushOnce().onErrorResume(e -> Mono.empty()), 1)
                .subscribe();
    }

    @PreDestroy
    void stop() {
        Disposable d = schedule;
        if (d != null) {
            d.dispose();
        }
    }

    /** Closes the current window and tries to deliver everything buffered. */
    public Mono<Void> pushOnce() {
        synchronized (buffer) {
            buffer.addLast(windows.close());
            while (buffer.size() > capacity) {
                buffer.removeFirst();
                dropped.increment();
            }
        }
        return Flux.defer(() -> Flux.fromIterable(snapshot()))
                .concatMap(window -> send(window).thenReturn(window), 1)
                .doOnNext(this::acknowledge)
                .onErrorResume(e -> {
                    log.debug("router-metrics push failed, {} windows kept: {}", bufferedCount(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> send(MetricWindow window) {
        return controlPlane.post()
                .uri("/api/v1/router-metrics")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsBytes(window))
                .retrieve()
                .toBodilessEntity()
                .timeout(Duration.ofSeconds(5))
                .then();
    }

    private void acknowledge(MetricWindow window) {
        synchronized (buffer) {
            buffer.remove(window);
        }
        pushed.increment();
    }

    private java.util.List<MetricWindow> snapshot() {
        synchronized (buffer) {
            return java.util.List.copyOf(buffer);
        }
    }

    int bufferedCount() {
        synchronized (buffer) {
            return buffer.size();
        }
    }
}
