package dev.switchboard.router.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class RetryDeduplicatorTest {

    private static final StoredAnswer OK = new StoredAnswer(200, "application/json", "{\"a\":1}".getBytes(), "v2", "acme");

    private final RetryDeduplicator dedup = new RetryDeduplicator(Duration.ofMinutes(10), 1000);

    @Test
    void aRetryAfterTheAnswerIsReplayedWithoutForwardingAgain() {
        AtomicInteger forwarded = new AtomicInteger();
        StepVerifier.create(dedup.once("k", () -> Mono.fromSupplier(() -> { forwarded.incrementAndGet(); return OK; })))
                .expectNext(new RetryDeduplicator.Outcome(OK, false)).verifyComplete();
        StepVerifier.create(dedup.once("k", () -> Mono.fromSupplier(() -> { forwarded.incrementAndGet(); return OK; })))
                .expectNext(new RetryDeduplicator.Outcome(OK, true)).verifyComplete();
        assertThat(forwarded).hasValue(1);
    }

    @Test
    void aRetryWhileTheFirstDeliveryIsInFlightWaitsForItsAnswer() {
        Sinks.One<StoredAnswer> backend = Sinks.one();
        AtomicInteger forwarded = new AtomicInteger();
        Mono<RetryDeduplicator.Outcome> first = dedup.once("k", () -> { forwarded.incrementAndGet(); return backend.asMono(); });
        Mono<RetryDeduplicator.Outcome> retry = dedup.once("k", () -> { forwarded.incrementAndGet(); return backend.asMono(); });
        StepVerifier.create(Mono.zip(first, retry))
                .then(() -> backend.tryEmitValue(OK))
                .assertNext(both -> {
                    assertThat(both.getT1()).isEqualTo(new RetryDeduplicator.Outcome(OK, false));
                    assertThat(both.getT2()).isEqualTo(new RetryDeduplicator.Outcome(OK, true));
                })
                .verifyComplete();
        assertThat(forwarded).hasValue(1);
    }

    @Test
    void aServerErrorIsForgottenSoTheProvidersRetryIsForwardedAgain() {
        StoredAnswer failed = new StoredAnswer(502, null, new byte[0], "v2", "acme");
        StepVerifier.create(dedup.once("k", () -> Mono.just(failed))).expectNext(new RetryDeduplicator.Outcome(failed, false)).verifyComplete();
        StepVerifier.create(dedup.once("k", () -> Mono.just(OK))).expectNext(new RetryDeduplicator.Outcome(OK, false)).verifyComplete();
    }

    /** Up to 100,000 answers are kept for 10 minutes: each must cost its answer, not the whole request it came from. */
    @Test
    void onceAnsweredTheEntryNoLongerHoldsTheRequest() throws InterruptedException {
        WeakReference<byte[]> requestBody = forwardOnce("k");
        for (int i = 0; i < 50 && requestBody.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(requestBody.get()).as("request body still reachable from the de-duplication cache").isNull();
        StepVerifier.create(dedup.once("k", () -> Mono.error(new AssertionError("forwarded twice"))))
                .expectNext(new RetryDeduplicator.Outcome(OK, true)).verifyComplete();
    }

    private WeakReference<byte[]> forwardOnce(String key) {
        byte[] body = new byte[64 * 1024]; // what the forwarding pipeline captures: the request as received
        StepVerifier.create(dedup.once(key, () -> Mono.fromSupplier(() -> body.length > 0 ? OK : null)))
                .expectNextCount(1).verifyComplete();
        return new WeakReference<>(body);
    }
}
