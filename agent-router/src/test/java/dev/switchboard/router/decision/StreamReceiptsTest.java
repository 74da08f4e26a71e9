package dev.switchboard.router.decision;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two SDK clients in one process (two router contexts, as in the multi-router tests and benchmarks): each stream
 * handler's receipt belongs to the client whose thread received it, never to the client that heard last.
 */
class StreamReceiptsTest {

    private static final Logger SDK = LoggerFactory.getLogger("io.getunleash.streaming.StreamingFeatureFetcherImpl");

    private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    /** Two handler threads of their own (the common pool may have only one on a 2-core machine). */
    private final ExecutorService handlers = Executors.newFixedThreadPool(2);
    private StreamReceipts first;
    private StreamReceipts second;

    @AfterEach
    void removeFilters() {
        handlers.shutdownNow();
        logback.getTurboFilterList().remove(first);
        logback.getTurboFilterList().remove(second);
    }

    @Test
    void eachStreamHandlersReceiptStaysWithTheThreadThatReceivedIt() throws Exception {
        first = StreamReceipts.install();
        second = StreamReceipts.install();
        CountDownLatch firstReceived = new CountDownLatch(1);
        CountDownLatch secondReceived = new CountDownLatch(1);

        // client A's handler receives an event, then client B's handler receives one later; then A applies its event
        CompletableFuture<Instant[]> a = CompletableFuture.supplyAsync(() -> {
            receive();
            Instant mine = first.last();
            firstReceived.countDown();
            await(secondReceived);
            return new Instant[] {mine, first.last(), second.last()};
        }, handlers);
        CompletableFuture<Instant> b = CompletableFuture.supplyAsync(() -> {
            await(firstReceived);
            sleepAMillisecond();
            receive();
            secondReceived.countDown();
            return second.last();
        }, handlers);

        Instant[] seenByA = a.get(5, TimeUnit.SECONDS);
        Instant receivedByB = b.get(5, TimeUnit.SECONDS);
        assertThat(seenByA[0]).isNotNull();
        assertThat(receivedByB).isAfter(seenByA[0]);
        assertThat(seenByA[1]).as("A applies after B received: still A's own receipt").isEqualTo(seenByA[0]);
        assertThat(seenByA[2]).as("every installed filter notes the receipt of the thread it ran on")
                .isNotNull().isBefore(receivedByB);
        assertThat(first.last()).as("a thread that received nothing has no receipt").isNull();
    }

    @Test
    void otherLogCallsOfTheSdkAreNoReceipt() throws Exception {
        first = StreamReceipts.install();
        Instant seen = CompletableFuture.supplyAsync(() -> {
            SDK.debug("Streaming connection established");
            SDK.info("Received streaming event: {} with data: {}", "unleash-updated", "{}"); // not the handler's DEBUG call
            LoggerFactory.getLogger("some.other.Logger").debug("Received streaming event: {} with data: {}", "x", "{}");
            return first.last();
        }, handlers).get(5, TimeUnit.SECONDS);
        assertThat(seen).isNull();
    }

    private static void receive() {
        SDK.debug("Received streaming event: {} with data: {}", "unleash-updated", "{\"events\":[]}");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
