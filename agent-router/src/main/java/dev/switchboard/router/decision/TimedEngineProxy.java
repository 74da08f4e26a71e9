package dev.switchboard.router.decision;

import io.getunleash.EngineProxy;
import io.getunleash.FeatureDefinition;
import io.getunleash.UnleashContext;
import io.getunleash.engine.FlatResponse;
import io.getunleash.engine.UnleashEngine;
import io.getunleash.engine.VariantDef;
import io.getunleash.metric.UnleashMetricService;
import io.getunleash.metric.UnleashMetricServiceImpl;
import io.getunleash.repository.BackupHandler;
import io.getunleash.repository.FeatureBackupHandlerFile;
import io.getunleash.repository.FeatureRepositoryImpl;
import io.getunleash.util.UnleashConfig;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The SDK's engine proxy built as {@code EngineProxyImpl} builds it (no custom strategies), except that the
 * repository's backup handler is wrapped. The SDK reads the backup file just before its engine takes it at start, and
 * writes it right after the engine took a new state (from the stream or a poll), on the very thread that applied it
 * and before it hands the change to its event thread. So the wrapper sees the moment decisions switched to a
 * revision, and reports it to the {@link RevisionTimeline}; the file is read and written as before.
 */
final class TimedEngineProxy implements EngineProxy {

    private final FeatureRepositoryImpl repository;
    private final UnleashMetricService metrics;

    TimedEngineProxy(UnleashConfig config, RevisionTimeline timeline, boolean streaming) {
        UnleashEngine engine = new TenantDecisionMemo();
        this.repository = new FeatureRepositoryImpl(config,
                new Hook(new FeatureBackupHandlerFile(config), timeline, streaming), engine);
        this.metrics = new UnleashMetricServiceImpl(config, config.getScheduledExecutor(), engine);
        metrics.register(Set.of());
    }

    @Override
    public FlatResponse<Boolean> isEnabled(String toggleName, UnleashContext context) {
        return repository.isEnabled(toggleName, context);
    }

    @Override
    public FlatResponse<VariantDef> getVariant(String toggleName, UnleashContext context) {
        return repository.getVariant(toggleName, context);
    }

    @Override
    public Stream<FeatureDefinition> listKnownToggles() {
        return repository.listKnownToggles();
    }

    @Override
    public void register(Set<String> strategies) {
        metrics.register(strategies);
    }

    @Override
    public void shutdown() {
        repository.shutdown();
    }

    /** The backup file, plus the timeline's view of what the engine now holds. */
    private static final class Hook implements BackupHandler {
        private final BackupHandler file;
        private final RevisionTimeline timeline;
        private final boolean streaming;
        /** The thread building the client: its synchronous first fetch is a poll even in streaming mode. */
        private final Thread builder = Thread.currentThread();

        Hook(BackupHandler file, RevisionTimeline timeline, boolean streaming) {
            this.file = file;
            this.timeline = timeline;
            this.streaming = streaming;
        }

        @Override
        public Optional<String> read() {
            Optional<String> state = file.read();
            // the engine takes this state as soon as read() returns
            state.ifPresent(s -> timeline.applied(s, RevisionTimeline.Source.BACKUP, Instant.now()));
            return state;
        }

        @Override
        public void write(String state) {
            Instant applied = Instant.now();
            timeline.applied(state, streaming && Thread.currentThread() != builder
                    ? RevisionTimeline.Source.STREAM : RevisionTimeline.Source.POLL, applied);
            file.write(state);
        }
    }
}
