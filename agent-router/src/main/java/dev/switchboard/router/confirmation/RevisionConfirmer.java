package dev.switchboard.router.confirmation;

import dev.switchboard.contract.RevisionConfirmation;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.decision.RevisionTimeline;
import dev.switchboard.router.decision.RouterIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the control plane which revision this router decides with, as soon as its SDK applied it (router token,
 * {@code POST /api/v1/router-confirmations}, after a linger of {@code confirm-linger}, 25 ms, that lets the first
 * decision on it join the same request), with the first decision if it came later, and every
 * {@code confirm-interval} as a heartbeat. A router started from its backup file confirms that state at once, before
 * the stream delivers. Sends run one at a time on their own thread, each with the newest state, so the control plane
 * never hears an older revision after a newer one; a send that fails is retried shortly, and the heartbeat repeats
 * it anyway.
 */
@Component
public class RevisionConfirmer {

    private static final Logger log = LoggerFactory.getLogger(RevisionConfirmer.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private final RevisionTimeline timeline;
    private final String routerId;
    private final WebClient controlPlane;
    private final JsonMapper json;
    private final ScheduledExecutorService sender;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Duration linger;
    private final Counter sent;
    private final Counter failed;

    public RevisionConfirmer(RevisionTimeline timeline, RouterIdentity identity, RouterProperties properties,
                             WebClient.Builder webClients, JsonMapper json, MeterRegistry meters) {
        this.timeline = timeline;
        this.routerId = identity.routerId();
        this.json = json;
        this.controlPlane = webClients.clone()
                .baseUrl(properties.controlPlaneUrl().toString())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.routerToken())
                .build();
        this.sent = meters.counter("switchboard.router.confirmations", "outcome", "sent");
        this.failed = meters.counter("switchboard.router.confirmations", "outcome", "failed");
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revision-confirmer");
            t.setDaemon(true);
            return t;
        });
        long heartbeat = properties.confirmInterval().toMillis();
        sender.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        this.linger = properties.confirmLinger();
        // a new revision: sent after a short linger, so the first decision on it (usually within milliseconds under
        // traffic) goes in the same request and the control plane's work stays out of the moment routers switch
        timeline.listen(applied -> request(applied.firstDecisionAt() == null ? linger : Duration.ZERO));
        request(Duration.ZERO); // what the router decides with from the start (its backup file), if anything
    }

    @PreDestroy
    void stop() {
        sender.shutdownNow();
    }

    /** Asks for a send of the newest state after {@code delay}; requests made while one is queued join it. */
    private void request(Duration delay) {
        if (queued.compareAndSet(false, true)) {
            try {
                sender.schedule(this::sendQueued, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false); // shutting down
            }
        }
    }

    private void sendQueued() {
        queued.set(false);
        if (!send()) {
            request(RETRY);
        }
    }

    private void heartbeat() {
        send();
    }

    /** One send of the current state, on the sender thread; true when the control plane took it. */
    private boolean send() {
        Optional<RevisionTimeline.Applied> current = timeline.current();
        if (current.isEmpty()) {
            return true; // nothing decided yet: nothing to confirm
        }
        RevisionTimeline.Applied a = current.get();
        RevisionConfirmation body = new RevisionConfirmation(routerId, a.flag(), a.revision(), a.appliedAt(),
                a.receivedAt(), a.firstDecisionAt(), a.source().wire(), Instant.now());
        try {
            Integer status = controlPlane.post().uri(RevisionConfirmation.PATH)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(json.writeValueAsBytes(body))
                    .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                    .block(Duration.ofSeconds(5));
            if (status != null && status >= 200 && status < 300) {
                sent.increment();
                return true;
            }
            failed.increment();
            log.warn("control plane answered {} to the confirmation of {} revision {}", status, a.flag(), a.revision());
            // 4xx other than 408/429 would be refused again: the heartbeat tries later, no fast retry
            return status != null && status >= 400 && status < 500 && status != 408 && status != 429;
        } catch (RuntimeException e) {
            failed.increment();
            log.debug("confirmation of {} revision {} not delivered: {}", a.flag(), a.revision(), e.toString());
            return false;
        }
    }
}
