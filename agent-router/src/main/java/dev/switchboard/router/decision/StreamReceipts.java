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
 */
final class StreamReceipts extends TurboFilter {

    private static final String SDK_LOGGER = "io.getunleash.streaming.StreamingFeatureFetcherImpl";
    private static final String MESSAGE = "Received streaming event";

    private volatile Instant last;

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

    /** The time the handler received its most recent event, if known. */
    Instant last() {
        return last;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == Level.DEBUG && format != null && logger != null && SDK_LOGGER.equals(logger.getName())
                && format.startsWith(MESSAGE)) {
            last = Instant.now();
        }
        return FilterReply.NEUTRAL;
    }
}
