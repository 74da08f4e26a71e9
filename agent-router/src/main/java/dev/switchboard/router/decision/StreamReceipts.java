package dev.switchboard.router.decision;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Instant;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * When the SDK's stream handler got its last event. unleash-client-java 11.2.1 gives no hook between the event
 * source and its engine, but the first thing its handler does with an event is a DEBUG log call
 * ("Received streaming event: …"), made whether or not DEBUG is on. Logback asks its turbo filters about every
 * such call before it checks the level, so this filter notes the time of that call and answers NEUTRAL: logging
 * stays exactly as configured. If a later SDK drops that line, the stage is simply not reported.
 *
 * <p>The time is kept per thread: the handler logs, then hands the event to the engine and the backup hook on the
 * same thread, so the hook reads the receipt of its own client's stream. A time shared by the whole process would
 * be any client's last receipt wherever several SDK clients share a JVM (each router context of a test or bench).
 */
final class StreamReceipts extends TurboFilter {

    private static final String SDK_LOGGER = "io.getunleash.streaming.StreamingFeatureFetcherImpl";
    private static final String MESSAGE = "Received streaming event";

    private final ThreadLocal<Instant> last = new ThreadLocal<>();

    /** Installs one filter in logback, when logback is the logging backend; empty otherwise. */
    static StreamReceipts install() {
        StreamReceipts receipts = new StreamReceipts();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            receipts.setName("switchboard-stream-receipts");
            receipts.start();
            context.addTurboFilter(receipts);
        }
        return receipts;
    }

    /** When the stream handler running on this thread received its most recent event, if known. */
    Instant last() {
        return last.get();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.DEBUG && format != null && logger != null && SDK_LOGGER.equals(logger.getName())
                && format.startsWith(MESSAGE)) {
            last.set(Instant.now());
        }
        return FilterReply.NEUTRAL;
    }
}
