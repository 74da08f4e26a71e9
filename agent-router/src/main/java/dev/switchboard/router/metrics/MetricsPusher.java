package dev.switchboard.router.metrics;

import dev.switchboard.contract.MetricWindow;
import dev.switchboard.contract.WindowRules;
import dev.switchboard.router.config.RouterProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every push interval: close the window and send every buffered window, oldest first, to
 * POST /api/v1/router-metrics with the router token.
 *
 * <ul>
 *   <li>Taken (2xx): done; series the control plane refused in it are logged at WARN with their reasons and
 *       counted ({@code switchboard_router_metrics_series_refused_total}).</li>
 *   <li>Refused (4xx other than 408/429: the window breaks a rule, or the token is not accepted): retrying would
 *       be refused again, so the window is dropped, logged at WARN with the reason and counted
 *       ({@code switchboard_router_metrics_windows_refused_total}); the next window is sent at once. A refused
 *       window never blocks the ones after it.</li>
 *   <li>Not delivered (5xx, 408, 429, timeout, connection): kept for the next push; the buffer is bounded and
 *       windows older than the control plane accepts are dropped and counted.</li>
 * </ul>
 * Before a window is buffered it is checked by the contract's own rules: a series that would be refused (it
 * cannot happen by construction; the property tests say so) is dropped here, counted and logged.
 */
@Component
public class MetricsPusher {

    private static final Logger log = LoggerFactory.getLogger(MetricsPusher.class);
    /** Margin under the control plane's clock-skew limit: a window this old is not sent any more. */
    private static final Duration MAX_AGE = WindowRules.MAX_CLOCK_SKEW.minusSeconds(15);

    private final MetricWindows windows;
    private final WebClient controlPlane;
    private final JsonMapper json;
    private final Duration interval;
    private final int capacity;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Deque<MetricWindow> buffer = new ArrayDeque<>();
    private final Counter dropped;
    private final Counter expired;
    private final Counter pushed;
    private final Counter seriesRefused;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private volatile Disposable schedule;

    public MetricsPusher(RouterProperties properties, MetricWindows windows, WebClient.Builder webClients,
            JsonMapper json, MeterRegistry meters, Clock clock) {
        this.windows = windows;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
        this.interval = properties.metrics().pushInterval();
        this.capacity = properties.metrics().bufferedWindows();
        this.controlPlane = webClients.clone()
                .baseUrl(properties.controlPlaneUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.routerToken())
                .build();
        this.dropped = meters.counter("switchboard.router.metrics.windows.dropped", "reason", "buffer-full");
        this.expired = meters.counter("switchboard.router.metrics.windows.dropped", "reason", "expired");
        this.pushed = meters.counter("switchboard.router.metrics.windows.pushed");
        this.seriesRefused = meters.counter("switchboard.router.metrics.series.refused");
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
        MetricWindow closed = selfChecked(windows.close());
        Instant oldest = clock.instant().minus(MAX_AGE);
        synchronized (buffer) {
            buffer.addLast(closed);
            while (buffer.size() > capacity) {
                buffer.removeFirst();
                dropped.increment();
            }
            while (!buffer.isEmpty() && Instant.parse(buffer.peekFirst().windowStart()).isBefore(oldest)) {
                buffer.removeFirst();
                expired.increment();
            }
        }
        return Flux.defer(() -> Flux.fromIterable(snapshot()))
                .concatMap(window -> send(window).thenReturn(window), 1)
                .doOnNext(this::acknowledge)
                .onErrorResume(e -> {
                    log.debug("router-metrics push not delivered, {} windows kept: {}", bufferedCount(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** Drops (and reports) any series the contract would refuse; the window itself is always well-formed. */
    private MetricWindow selfChecked(MetricWindow window) {
        WindowRules.Checked checked = WindowRules.check(window, clock.instant());
        if (checked.refused().isEmpty() && !checked.windowRefused()) {
            return window;
        }
        log.warn("metric window {} breaks the contract, dropping {} series: {}", window.windowStart(),
                checked.refused().size(), checked.all());
        seriesRefused.increment(checked.refused().size());
        return new MetricWindow(window.routerId(), window.routerVersion(), window.windowStart(), window.windowSeconds(),
                window.flagRevisions(), window.flagStateAgeSeconds(), checked.accepted());
    }

    private Mono<Void> send(MetricWindow window) {
        return controlPlane.post()
                .uri("/api/v1/router-metrics")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json.writeValueAsBytes(window))
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .flatMap(body -> outcome(window, response.statusCode(), body)))
                .timeout(Duration.ofSeconds(5));
    }

    private Mono<Void> outcome(MetricWindow window, HttpStatusCode status, String body) {
        if (status.is2xxSuccessful()) {
            reportRefusedSeries(window, body);
            return Mono.empty();
        }
        int code = status.value();
        if (status.is4xxClientError() && code != 408 && code != 429) {
            refused.computeIfAbsent(Integer.toString(code), c -> Counter.builder("switchboard.router.metrics.windows.refused")
                    .description("metric windows the control plane refused; dropped, never retried")
                    .tag("status", c).register(meters)).increment();
            log.warn("control plane refused metric window {} ({} series) with {}, dropping it: {}",
                    window.windowStart(), window.series() == null ? 0 : window.series().size(), code, reason(body));
            return Mono.empty(); // acknowledged: dropped
        }
        return Mono.error(new IllegalStateException("router-metrics answered " + code));
    }

    private void reportRefusedSeries(MetricWindow window, String body) {
        try {
            JsonNode refusedSeries = body.isBlank() ? null : json.readTree(body).path("refused");
            if (refusedSeries != null && refusedSeries.isArray() && !refusedSeries.isEmpty()) {
                seriesRefused.increment(refusedSeries.size());
                log.warn("control plane refused {} series of metric window {}: {}", refusedSeries.size(),
                        window.windowStart(), abbreviate(refusedSeries.toString()));
            }
        } catch (RuntimeException e) {
            log.debug("unreadable router-metrics answer: {}", e.toString());
        }
    }

    private String reason(String body) {
        try {
            JsonNode problem = json.readTree(body);
            JsonNode errors = problem.path("errors");
            return abbreviate(problem.path("detail").asString(problem.path("title").asString(""))
                    + (errors.isMissingNode() ? "" : " " + errors));
        } catch (RuntimeException e) {
            return abbreviate(body);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 1000 ? s.substring(0, 1000) + "..." : s;
    }

    private void acknowledge(MetricWindow window) {
        synchronized (buffer) {
            buffer.remove(window);
        }
        pushed.increment();
    }

    private List<MetricWindow> snapshot() {
        synchronized (buffer) {
            return List.copyOf(buffer);
        }
    }

    int bufferedCount() {
        synchronized (buffer) {
            return buffer.size();
        }
    }
}
