package dev.switchboard.router.config;

import dev.switchboard.router.intake.ProblemResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses obsolete line folding (a header line that starts with a space or tab, RFC 9112 section 5.2), which Netty's
 * decoder silently joins to the previous header: the router and a backend or proxy in front of it could then
 * disagree on a header's value. Scans the raw bytes of each request head (first in the pipeline) and answers 400
 * and closes the connection when it finds one; {@link #requestEnded()} (called after the HTTP decoder saw the end of
 * a request) arms it for the next request on the same connection.
 *
 * <p>It also bounds a whole request in time: from its first byte, the head and the body must all have arrived within
 * the intake's read timeout, else the caller gets 408 and the connection is closed. The server's own read timeout
 * only bounds the gap between two reads, so a caller sending one byte a second would otherwise hold a connection for
 * as long as it likes.
 */
final class StrictHeaderFraming extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StrictHeaderFraming.class);
    private static final byte[] REFUSAL = ProblemResponses.rawAnswer(400, "invalid_framing", "headers",
            "a header line starts with a space or a tab (obsolete line folding is refused)");

    private static final int IN_LINE = 0;
    private static final int AFTER_CR = 1;
    private static final int LINE_START = 2;
    private static final int BLANK_LINE_CR = 3;

    private static final byte[] TOO_SLOW = ProblemResponses.rawAnswer(408, "request_timeout", "body",
            "the request did not arrive whole within the intake's read timeout");

    private final long requestDeadlineNanos;
    private boolean inHead = true;
    private boolean refused;
    private int state = IN_LINE;
    private ScheduledFuture<?> deadline;

    /** @param requestDeadline how long a request may take to arrive whole, from its first byte */
    StrictHeaderFraming(Duration requestDeadline) {
        this.requestDeadlineNanos = requestDeadline.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (deadline == null && msg instanceof ByteBuf first && first.isReadable()) {
            deadline = ctx.executor().schedule(() -> tooSlow(ctx), requestDeadlineNanos, TimeUnit.NANOSECONDS);
        }
        if (inHead && msg instanceof ByteBuf buf && folded(buf)) {
            refused = true;
            ReferenceCountUtil.release(msg);
            log.debug("refused a request with a folded header line from {}", ctx.channel().remoteAddress());
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REFUSAL)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void tooSlow(ChannelHandlerContext ctx) {
        if (refused || deadline == null) {
            return;
        }
        refused = true;
        log.debug("closed a request that did not arrive whole in time from {}", ctx.channel().remoteAddress());
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_SLOW)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Scans until the end of the head; true when a line of the head starts with a space or a tab. */
    private boolean folded(ByteBuf buf) {
        for (int i = buf.readerIndex(); i < buf.writerIndex() && inHead; i++) {
            byte b = buf.getByte(i);
            switch (state) {
                case LINE_START -> {
                    if (b == ' ' || b == '\t') {
                        return true;
                    }
                    state = b == '\r' ? BLANK_LINE_CR : b == '\n' ? endOfHead() : IN_LINE;
                }
                case BLANK_LINE_CR -> state = b == '\n' ? endOfHead() : IN_LINE;
                case AFTER_CR -> state = b == '\n' ? LINE_START : IN_LINE;
                default -> state = b == '\r' ? AFTER_CR : b == '\n' ? LINE_START : IN_LINE;
            }
        }
        return false;
    }

    private int endOfHead() {
        inHead = false;
        return IN_LINE;
    }

    void requestEnded() {
        cancelDeadline();
        inHead = true;
        state = IN_LINE;
    }

    /** After the HTTP decoder: tells the scanner where the next request's head begins. */
    static final class RequestEnd extends ChannelInboundHandlerAdapter {
        private final StrictHeaderFraming scanner;

        RequestEnd(StrictHeaderFraming scanner) {
            this.scanner = scanner;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                scanner.requestEnded();
            }
            ctx.fireChannelRead(msg);
        }
    }
}
