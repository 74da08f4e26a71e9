package dev.switchboard.router.decision;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.config.RouterProperties.UnleashMode;
import io.getunleash.DefaultUnleash;
import io.getunleash.EngineProxyImpl;
import io.getunleash.Unleash;
import io.getunleash.UnleashContext;
import io.getunleash.UnleashException;
import io.getunleash.event.ClientFeaturesResponse;
import io.getunleash.event.UnleashSubscriber;
import io.getunleash.util.UnleashConfig;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * v1/v2 decision through the official Unleash SDK. Streaming mode by default; the SDK does not poll while
 * streaming, so when the stream keeps failing a second SDK client in polling mode (1 s) takes over the
 * decisions until the stream delivers again. Both clients share the backup file, which is also what a
 * router started while the control plane is down begins from.
 */
@Component
public class FlagDecider {

    private static final Logger log = LoggerFactory.getLogger(FlagDecider.class);

    private final RouterProperties properties;
    private final FlagRevisions revisions;
    private final String instanceId;
    private final Unleash primary;
    private final AtomicReference<Unleash> pollingFallback = new AtomicReference<>();
    private final ScheduledExecutorService watchdog;
    private volatile long lastStreamErrorMillis;

    public FlagDecider(RouterProperties properties, JsonMapper json, RouterIdentity identity) {
        this.properties = properties;
        this.revisions = new FlagRevisions(json);
        this.instanceId = identity.routerId();
        readBackupRevisions(json);
        boolean streaming = properties.unleash().mode() == UnleashMode.STREAMING;
        this.primary = client(config(streaming, streaming ? new StreamWatcher() : revisions));
        if (streaming) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "unleash-stream-watchdog");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(250, properties.unleash().pollInterval().toMillis());
            watchdog.scheduleWithFixedDelay(this::checkStream, period, period, TimeUnit.MILLISECONDS);
        } else {
            watchdog = null;
        }
    }

    /** True when the tenant is in the v2 cohort right now (unresolved tenants never ask: they stay on v1). */
    public Variant decide(String tenantId) {
        UnleashContext context = UnleashContext.builder().addProperty("tenantId", tenantId).build();
        Unleash active = Optional.ofNullable(pollingFallback.get()).orElse(primary);
        return active.isEnabled(properties.flagName(), context, false) ? Variant.V2 : Variant.V1;
    }

    /** Whether the flag is switched on at all (false after a total rollback). */
    public boolean flagEnabled() {
        Unleash active = Optional.ofNullable(pollingFallback.get()).orElse(primary);
        return active.more().getFeatureToggleDefinition(properties.flagName())
                .map(d -> d.environmentEnabled())
                .orElse(false);
    }

    public FlagRevisions revisions() {
        return revisions;
    }

    public boolean pollingFallbackActive() {
        return pollingFallback.get() != null;
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

    /** The SDK's client as its default constructor builds it, but without the per-decision event hand-off. */
    private static Unleash client(UnleashConfig config) {
        return new DefaultUnleash(config, new EngineProxyImpl(config), config.getContextProvider(),
                new DecisionEvents(config), false);
    }

    private UnleashConfig config(boolean streaming, UnleashSubscriber subscriber) {
        UnleashConfig.Builder builder = UnleashConfig.builder()
                // its own executor: the SDK's default is a JVM-wide singleton that the first shutdown() kills for
                // every other client in the process (a second router context, the polling fallback)
                .scheduledExecutor(new io.getunleash.util.UnleashScheduledExecutorImpl())
                .appName(properties.unleash().appName())
                .instanceId(instanceId + (streaming ? "" : "-polling"))
                .unleashAPI(properties.controlPlaneUrl().toString().replaceAll("/+$", "") + "/api")
                .apiKey(properties.clientToken())
                .backupFile(properties.unleash().backupFile())
                .fetchTogglesInterval(Math.max(1, properties.unleash().pollInterval().toSeconds()))
                .sendMetricsInterval(10)
                .synchronousFetchOnInitialisation(true)
                .startupExceptionHandler(e -> log.warn(
                        "control plane unreachable at start, deciding from backup file {}: {}",
                        properties.unleash().backupFile(), e.getMessage()))
                .subscriber(subscriber);
        if (streaming) {
            builder.experimentalStreamingMode();
        }
        return builder.build();
    }

    /**
     * unleash-client-java 11.2.1 in streaming mode writes the engine state wrapped as
     * {"status_code":"Ok","value":{...}}, which the SDK itself cannot read back on the next start.
     * Unwrap it before the SDK reads the file, so a cold start really begins from the last known state.
     */
    private void readBackupRevisions(JsonMapper json) {
        Path backup = Path.of(properties.unleash().backupFile());
        if (Files.isRegularFile(backup)) {
            try {
                String content = Files.readString(backup, StandardCharsets.UTF_8);
                tools.jackson.databind.JsonNode root = json.readTree(content);
                if (root.has("status_code") && root.path("value").isObject()) {
                    content = json.writeValueAsString(root.path("value"));
                    Files.writeString(backup, content, StandardCharsets.UTF_8);
                    log.info("unwrapped streaming-mode backup file {} so the SDK can read it", backup);
                }
                revisions.read(content);
            } catch (IOException | RuntimeException e) {
                log.warn("could not read backup file {} for flag revisions: {}", backup, e.toString());
            }
        }
    }

    private void checkStream() {
        try {
            long now = System.currentTimeMillis();
            long fallbackAfter = properties.unleash().streamingFallbackAfter().toMillis();
            boolean streamFailing = lastStreamErrorMillis > revisions.lastUpdateMillis()
                    && now - Math.max(revisions.lastUpdateMillis(), 0) > fallbackAfter;
            if (streamFailing && pollingFallback.get() == null) {
                log.warn("flag stream failing, polling the control plane every {} until it is back",
                        properties.unleash().pollInterval());
                pollingFallback.set(client(config(false, revisions)));
            }
        } catch (RuntimeException e) {
            log.warn("stream watchdog: {}", e.toString());
        }
    }

    /** Subscriber of the streaming client: tracks stream health and hands payloads to the revision reader. */
    private final class StreamWatcher implements UnleashSubscriber {
        @Override
        public void togglesFetched(ClientFeaturesResponse response) {
            revisions.togglesFetched(response);
            if (response.getStatus() == ClientFeaturesResponse.Status.CHANGED) {
                Unleash fallback = pollingFallback.getAndSet(null);
                if (fallback != null) {
                    log.info("flag stream delivering again, polling fallback stopped");
                    // Decisions in flight may still hold the fallback client: shut it down a little later.
                    watchdog.schedule(fallback::shutdown, 5, TimeUnit.SECONDS);
                }
            }
        }

        @Override
        public void onError(UnleashException e) {
            lastStreamErrorMillis = System.currentTimeMillis();
            log.debug("unleash: {}", e.getMessage());
        }
    }
}
