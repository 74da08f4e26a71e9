package dev.switchboard.router.decision;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.config.RouterProperties.UnleashMode;
import dev.switchboard.router.intake.FlagDecision;
import io.getunleash.DefaultUnleash;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import io.getunleash.util.UnleashConfig;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * v1/v2 decision through the official Unleash SDK, keeping the last known flag state through a control-plane
 * outage of any length.
 *
 * <p>Streaming mode by default. The SDK does not poll while streaming, so when the stream keeps failing, or is
 * silently stalled (the control plane serves a newer revision than the stream delivered), a second SDK client in
 * polling mode takes over the decisions until the stream delivers again. That client is started from the last
 * state this router held in memory (then the backup file, in whichever form the SDK wrote it), never empty:
 * unleash-client-java 11.2.1 writes its streaming backup wrapped as {@code {"status_code":"Ok","value":{...}}},
 * which it cannot read back itself.
 */
@Component
public class FlagDecider implements FlagDecision {

    private static final Logger log = LoggerFactory.getLogger(FlagDecider.class);

    private final RouterProperties properties;
    private final JsonMapper json;
    private final FlagRevisions revisions;
    private final String instanceId;
    private final Unleash primary;
    private final Freshness primaryFreshness = new Freshness();
    private final AtomicReference<Unleash> pollingFallback = new AtomicReference<>();
    private volatile Freshness fallbackFreshness;
    /** The last complete flag state (client-features JSON) this router decided on: memory first. */
    private final AtomicReference<String> lastKnownState = new AtomicReference<>();
    private final ScheduledExecutorService watchdog;
    private final RevisionTimeline timeline;
    private final HttpClient probeClient;
    private volatile String probeEtag;
    private volatile long probeSawNewerSince;

    public FlagDecider(RouterProperties properties, JsonMapper json, RouterIdentity identity, RevisionTimeline timeline) {
        this.properties = properties;
        this.timeline = timeline;
        this.json = json;
        this.revisions = new FlagRevisions(json);
        this.instanceId = identity.routerId();
        readBackup();
        boolean streaming = properties.unleash().mode() == UnleashMode.STREAMING;
        this.primary = client(config(streaming, new Watcher(primaryFreshness, true), properties.unleash().backupFile()));
        if (streaming) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "unleash-stream-watchdog");
                t.setDaemon(true);
                return t;
            });
            probeClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long period = Math.max(250, properties.unleash().pollInterval().toMillis());
            watchdog.scheduleWithFixedDelay(this::checkStream, period, period, TimeUnit.MILLISECONDS);
            long probe = properties.unleash().streamCheckInterval().toMillis();
            watchdog.scheduleWithFixedDelay(this::probeForStall, probe, probe, TimeUnit.MILLISECONDS);
        } else {
            watchdog = null;
            probeClient = null;
        }
    }

    /** The tenant's variant for a new call, from the last flag state this router holds (unresolved tenants stay on v1). */
    @Override
    public Variant decide(String tenantId) {
        UnleashContext context = UnleashContext.builder().addProperty("tenantId", tenantId).build();
        long epoch = timeline.epoch();
        boolean v2 = active().isEnabled(properties.flagName(), context, false);
        timeline.decided(epoch);
        return v2 ? Variant.V2 : Variant.V1;
    }

    /** Whether the flag is switched on at all (false after a total rollback). */
    public boolean flagEnabled() {
        return active().more().getFeatureToggleDefinition(properties.flagName())
                .map(d -> d.environmentEnabled())
                .orElse(false);
    }

    private Unleash active() {
        return Optional.ofNullable(pollingFallback.get()).orElse(primary);
    }

    public FlagRevisions revisions() {
        return revisions;
    }

    public boolean pollingFallbackActive() {
        return pollingFallback.get() != null;
    }

    /**
     * How stale the state the router decides on may be: 0 while its source (stream, or polling) is healthy;
     * otherwise the time since the control plane last confirmed it (from the backup file's age on a cold start).
     */
    public Duration stateAge() {
        Freshness f = pollingFallback.get() != null && fallbackFreshness != null ? fallbackFreshness : primaryFreshness;
        long contact = f.contactMillis;
        if (f.errorMillis <= contact && contact > 0) {
            return Duration.ZERO;
        }
        return contact <= 0 ? Duration.ofMillis(Long.MAX_VALUE) : Duration.ofMillis(System.currentTimeMillis() - contact);
    }

    /** Where the decisions come from right now: streaming, polling, or polling-fallback (stream failed/stalled). */
    public String source() {
        if (pollingFallback.get() != null) {
            return "polling-fallback";
        }
        return properties.unleash().mode() == UnleashMode.STREAMING ? "streaming" : "polling";
    }

    @PreDestroy
    void shutdown() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        Unleash fallback = pollingFallback.getAndSet(null);
        if (fallback != null) {
            fallback.shutdown();
        }
        primary.shutdown();
    }

    /**
     * The SDK's client as its default constructor builds it, but without the per-decision event hand-off, and with
     * an engine that tells the revision timeline when it takes a new state.
     */
    private Unleash client(UnleashConfig config) {
        return new DefaultUnleash(config, new TimedEngineProxy(config, timeline, config.isStreamingMode()),
                config.getContextProvider(), new DecisionEvents(config), false);
    }

    private UnleashConfig config(boolean streaming, UnleashSubscriber subscriber, String backupFile) {
        UnleashConfig.Builder builder = UnleashConfig.builder()
                // its own executor: the SDK's default is a JVM-wide singleton that the first shutdown() kills for
                // every other client in the process (a second router context, the polling fallback)
                .scheduledExecutor(new io.getunleash.util.UnleashScheduledExecutorImpl())
                .appName(properties.unleash().appName())
                .instanceId(instanceId + (streaming ? "" : "-polling"))
                .unleashAPI(baseUrl() + "/api")
                .apiKey(properties.clientToken())
                .backupFile(backupFile)
                // read only when the backup file is empty: the state held in memory
                .toggleBootstrapProvider(() -> Optional.ofNullable(lastKnownState.get()))
                .fetchTogglesInterval(Math.max(1, properties.unleash().pollInterval().toSeconds()))
                .sendMetricsInterval(10)
                .synchronousFetchOnInitialisation(true)
                .startupExceptionHandler(e -> log.warn(
                        "control plane unreachable at start, deciding from the last known flag state: {}", e.getMessage()))
                .subscriber(subscriber);
        if (streaming) {
            builder.experimentalStreamingMode();
        }
        return builder.build();
    }

    private String baseUrl() {
        return properties.controlPlaneUrl().toString().replaceAll("/+$", "");
    }

    /** Cold start: the backup file, unwrapped if the streaming SDK wrote it, is the first last-known state. */
    private void readBackup() {
        Path backup = Path.of(properties.unleash().backupFile());
        if (!Files.isRegularFile(backup)) {
            return;
        }
        try {
            String content = Files.readString(backup, StandardCharsets.UTF_8);
            String plain = unwrap(content);
            if (plain == null) {
                return;
            }
            if (!plain.equals(content)) {
                Files.writeString(backup, plain, StandardCharsets.UTF_8);
                log.info("unwrapped streaming-mode backup file {} so the SDK can read it", backup);
            }
            lastKnownState.set(plain);
            revisions.read(plain);
            primaryFreshness.contactMillis = Files.getLastModifiedTime(backup).toMillis();
            primaryFreshness.errorMillis = System.currentTimeMillis();
        } catch (IOException | RuntimeException e) {
            log.warn("could not read backup file {}: {}", backup, e.toString());
        }
    }

    private String readState(String file) {
        try {
            return unwrap(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Client-features JSON from any form the SDK produces: plain, or the engine state wrapped in status_code/value. */
    String unwrap(String state) {
        try {
            JsonNode root = json.readTree(state);
            if (root.has("status_code") && root.path("value").isObject()) {
                root = root.path("value");
            } else if (root.has("status_code")) {
                return null; // an engine error, no state in it
            }
            return root.path("features").isArray() ? json.writeValueAsString(root) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void checkStream() {
        try {
            long now = System.currentTimeMillis();
            long fallbackAfter = properties.unleash().streamingFallbackAfter().toMillis();
            boolean streamFailing = primaryFreshness.errorMillis > primaryFreshness.contactMillis
                    && now - Math.max(primaryFreshness.contactMillis, 0) > fallbackAfter;
            boolean stalled = probeSawNewerSince > 0 && now - probeSawNewerSince > fallbackAfter;
            if ((streamFailing || stalled) && pollingFallback.get() == null) {
                startFallback(stalled && !streamFailing ? "flag stream stalled (control plane has a newer revision)"
                        : "flag stream failing");
            }
        } catch (RuntimeException e) {
            log.warn("stream watchdog: {}", e.toString());
        }
    }

    private void startFallback(String why) {
        log.warn("{}, polling the control plane every {} until it is back; deciding from revision {} meanwhile",
                why, properties.unleash().pollInterval(), revisions.revisionOf(properties.flagName()));
        Freshness freshness = new Freshness();
        freshness.contactMillis = primaryFreshness.contactMillis;
        freshness.errorMillis = System.currentTimeMillis();
        fallbackFreshness = freshness;
        // Its own backup file, written first from memory: the SDK reads the backup file before anything else.
        String fallbackBackup = properties.unleash().backupFile() + ".polling";
        String state = lastKnownState.get();
        try {
            if (state != null) {
                Files.writeString(Path.of(fallbackBackup), state, StandardCharsets.UTF_8);
            } else {
                Files.deleteIfExists(Path.of(fallbackBackup));
            }
        } catch (IOException e) {
            log.warn("could not write {}: {}", fallbackBackup, e.toString());
        }
        pollingFallback.set(client(config(false, new Watcher(freshness, false), fallbackBackup)));
    }

    /**
     * A stream can stall without an error (a proxy holding a dead connection; the SDK's read timeout is 60 s):
     * a conditional GET of the polling endpoint every few seconds tells whether the control plane already serves
     * a revision the stream has not delivered.
     */
    private void probeForStall() {
        if (pollingFallback.get() != null) {
            probeSawNewerSince = 0;
            return;
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/client/features"))
                    .timeout(Duration.ofSeconds(2))
                    .header("Authorization", properties.clientToken())
                    .header("UNLEASH-APPNAME", properties.unleash().appName())
                    .header("UNLEASH-INSTANCEID", instanceId + "-probe");
            String etag = probeEtag;
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            HttpResponse<String> response = probeClient.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                probeEtag = response.headers().firstValue("ETag").orElse(null);
                FlagRevisions served = new FlagRevisions(json);
                served.read(response.body());
                long servedRev = served.revisionOf(properties.flagName());
                long heldRev = revisions.revisionOf(properties.flagName());
                if (servedRev > heldRev) {
                    if (probeSawNewerSince == 0) {
                        probeSawNewerSince = System.currentTimeMillis();
                    }
                } else {
                    probeSawNewerSince = 0;
                }
            } else if (response.statusCode() != 304) {
                probeSawNewerSince = 0;
            }
        } catch (IOException e) {
            probeSawNewerSince = 0; // control plane away: the stream's own errors say so
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("stream probe: {}", e.toString());
        }
    }

    /** When the control plane last confirmed a source's state, and when the source last failed. */
    private static final class Freshness {
        volatile long contactMillis;
        volatile long errorMillis;
    }

    /** Subscriber of each SDK client: keeps the last known state in memory, the revisions, and source health. */
    private final class Watcher implements UnleashSubscriber {
        private final Freshness freshness;
        private final boolean isPrimary;

        Watcher(Freshness freshness, boolean isPrimary) {
            this.freshness = freshness;
            this.isPrimary = isPrimary;
        }

        @Override
        public void togglesFetched(ClientFeaturesResponse response) {
            if (response.getStatus() == ClientFeaturesResponse.Status.CHANGED) {
                response.getClientFeatures().ifPresent(payload -> {
                    revisions.read(payload);
                    // polling: the full state; streaming: the event (a delta) - the full state is in the backup
                    // file the SDK wrote just before telling us
                    String state = unwrap(payload);
                    if (state == null && isPrimary) {
                        state = readState(properties.unleash().backupFile());
                    }
                    if (state != null) {
                        lastKnownState.set(state);
                    }
                });
                freshness.contactMillis = System.currentTimeMillis();
                if (isPrimary) {
                    probeSawNewerSince = 0;
                    Unleash fallback = pollingFallback.getAndSet(null);
                    if (fallback != null) {
                        log.info("flag stream delivering again, polling fallback stopped");
                        // Decisions in flight may still hold the fallback client: shut it down a little later.
                        watchdog.schedule(fallback::shutdown, 5, TimeUnit.SECONDS);
                    }
                }
            } else if (response.getStatus() == ClientFeaturesResponse.Status.NOT_CHANGED) {
                freshness.contactMillis = System.currentTimeMillis();
            } else {
                freshness.errorMillis = System.currentTimeMillis();
            }
        }

        @Override
        public void onError(UnleashException e) {
            freshness.errorMillis = System.currentTimeMillis();
            log.debug("unleash: {}", e.getMessage());
        }
    }
}
