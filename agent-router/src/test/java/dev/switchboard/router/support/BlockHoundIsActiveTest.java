package dev.switchboard.router.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Proves the router tests' BlockHound installation is live, so a green router suite means no event-loop blocking. */
class BlockHoundIsActiveTest {

    @Test
    void sleepingOnANonBlockingThreadIsCaught() {
        BlockHoundSupport.install();
        assertThatThrownBy(() -> Mono.delay(Duration.ofMillis(1))
                .doOnNext(ignored -> {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(5)))
                .hasStackTraceContaining("Blocking call");
    }
}
