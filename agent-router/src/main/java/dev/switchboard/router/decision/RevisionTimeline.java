package dev.switchboard.router.decision;

import dev.switchboard.router.config.RouterProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The router's own timeline of the revision it decides with: when the state arrived (the SDK's stream handler got
 * the event), when the engine took it (decisions switch), and when a call was first decided on it. Fed by the SDK's
 * engine ({@link TimedEngineProxy}) and by each decision; read by whoever confirms the revision to the control
 * plane, through one {@link Listener}.
 */
@Component
public class RevisionTimeline {

    private static final Logger log = LoggerFactory.getLogger(RevisionTimeline.class);
    /** A stream receipt older than this before the apply belongs to another event. */
    private static final Duration RECEIPT_MATCH = Duration.ofSeconds(1);

    public enum Source {
        STREAM("stream"), POLL("poll"), BACKUP("backup");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** A revision the engine took, and its stages on this router's clock. */
    public record Applied(String flag, long revision, Source source, Instant receivedAt, Instant appliedAt,
                          Instant firstDecisionAt) {

        Applied decidedAt(Instant at) {
            return new Applied(flag, revision, source, receivedAt, appliedAt, at);
        }
    }

    /** Told when a new revision is applied and when the first call is decided on it. */
    public interface Listener {
        void changed(Applied applied);
    }

    private final String flag;
    private final JsonMapper json;
    private final StreamReceipts receipts = StreamReceipts.install();
    private final AtomicReference<Applied> current = new AtomicReference<>();
    /** Bumped on every applied revision; a decision counts as "on the new revision" only if it began after it. */
    private volatile long epoch;
    private volatile boolean awaitingDecision;
    private volatile Listener listener = applied -> { };

    public RevisionTimeline(RouterProperties properties, JsonMapper json) {
        this.flag = properties.flagName();
        this.json = json;
    }

    public void listen(Listener l) {
        this.listener = l;
    }

    public Optional<Applied> current() {
        return Optional.ofNullable(current.get());
    }

    /** Called by the engine hook with the full state the engine now holds. */
    synchronized void applied(String state, Source source, Instant at) {
        FlagRevisions parsed = new FlagRevisions(json);
        parsed.read(state);
        long revision = parsed.revisionOf(flag);
        if (revision < 0) {
            return;
        }
        Applied before = current.get();
        if (before != null && before.revision() == revision) {
            return;
        }
        Instant received = null;
        if (source == Source.STREAM) {
            Instant r = receipts.last();
            if (r != null && !r.isAfter(at) && Duration.between(r, at).compareTo(RECEIPT_MATCH) < 0) {
                received = r;
            }
        }
        Applied now = new Applied(flag, revision, source, received, at, null);
        current.set(now);
        epoch++;
        awaitingDecision = true;
        log.info("flag {} revision {} applied from {}{}", flag, revision, source.wire(),
                received == null ? "" : String.format(java.util.Locale.ROOT, " (%.3f ms after the stream event)",
                        Duration.between(received, at).toNanos() / 1e6));
        listener.changed(now);
    }

    /** Before a decision: the epoch it starts in. */
    public long epoch() {
        return epoch;
    }

    /** After a decision that began in {@code startedIn}: the first one on a newly applied revision is noted. */
    public void decided(long startedIn) {
        if (!awaitingDecision || startedIn != epoch) {
            return;
        }
        Applied applied = current.get();
        if (applied == null || applied.firstDecisionAt() != null) {
            return;
        }
        Applied decided = applied.decidedAt(Instant.now());
        if (current.compareAndSet(applied, decided)) {
            awaitingDecision = false;
            listener.changed(decided);
        }
    }
}
