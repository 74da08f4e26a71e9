package dev.switchboard.router.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.support.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A command issued on an event loop is written, answered and continued on that loop (the loop's own connection),
 * through Redis going away and coming back twice: while it is away the command fails at once (the caller decides
 * locally) and is counted; once it is back, answers come on the loop again.
 */
class SharedStoreLoopTest {

    private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2,
            Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private RedisServer redis;
    private SharedStore store;

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void commandsOnAnEventLoopAreAnsweredOnThatLoopThroughTwoRedisOutages() throws Exception {
        assumeTrue(RedisServer.installed(), "needs /usr/bin/redis-server");
        redis = new RedisServer();
        store = new SharedStore(new RouterProperties.Redis(redis.url(), Duration.ofMillis(500), Duration.ofMillis(200),
                "test:", 100), new SimpleMeterRegistry());
        EventLoop a = loops.next();
        EventLoop b = loops.next();
        assertThat(a).isNotSameAs(b);
        for (int episode = 1; episode <= 2; episode++) {
            for (EventLoop loop : new EventLoop[] {a, b}) {
                String key = store.key("pin", "episode-" + episode + "-" + UUID.randomUUID());
                // the loop's own connection opens on its first command; until then the shared one answers
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().untilAsserted(() ->
                        assertThat(answeredOn(loop, () -> store.get(key).defaultIfEmpty("none"))).isTrue());
                String value = onLoop(loop, () -> store.setIfAbsentOrGet(key, "v2", Duration.ofMinutes(1)).defaultIfEmpty("set"));
                assertThat(value).isEqualTo("set");
                assertThat(onLoop(loop, () -> store.setIfAbsentOrGet(key, "v1", Duration.ofMinutes(1)).defaultIfEmpty("set")))
                        .as("the first writer wins, read back on the loop's connection").isEqualTo("v2");
            }
            long errorsBefore = store.errorCount();
            redis.kill();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String outcome = onLoop(a, () -> store.get(store.key("pin", "away"))
                        .onErrorReturn(SharedStore.SharedStateUnavailable.class, "local").defaultIfEmpty("none"));
                assertThat(outcome).as("with Redis away the caller decides locally").isEqualTo("local");
            });
            assertThat(store.errorCount()).as("counted").isGreaterThan(errorsBefore);
            redis.start();
        }
    }

    /** Whether the command's answer was continued on {@code loop}'s own thread. */
    private static boolean answeredOn(EventLoop loop, Supplier<Mono<String>> command) throws Exception {
        CompletableFuture<Boolean> same = new CompletableFuture<>();
        loop.execute(() -> command.get().subscribe(
                v -> same.complete(loop.inEventLoop()), same::completeExceptionally));
        return same.get(5, TimeUnit.SECONDS);
    }

    private static String onLoop(EventLoop loop, Supplier<Mono<String>> command) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        loop.execute(() -> command.get().subscribe(answer::complete, answer::completeExceptionally));
        return answer.get(5, TimeUnit.SECONDS);
    }
}
