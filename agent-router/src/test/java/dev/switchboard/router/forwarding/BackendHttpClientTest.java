package dev.switchboard.router.forwarding;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Forwarding stays on the event loop a webhook arrived on: its own pool, its own deadline timer. */
class BackendHttpClientTest {

    private final WireMockServer backend = new WireMockServer(options().dynamicPort());
    private final BackendHttpClient clients = new BackendHttpClient(
            name -> ConnectionProvider.builder(name).maxConnections(10).build(),
            client -> client.responseTimeout(Duration.ofSeconds(5)));
    private EventLoop loopA;
    private EventLoop loopB;

    @BeforeEach
    void start() {
        backend.start();
        backend.stubFor(any(anyUrl()).willReturn(okJson("{\"assistantId\":\"a\"}")));
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : HttpResources.get().onServer(true)) {
            loops.add((EventLoop) executor);
        }
        loopA = loops.get(0);
        loopB = loops.size() > 1 ? loops.get(1) : loops.get(0);
    }

    @AfterEach
    void stop() {
        clients.close();
        backend.stop();
    }

    @Test
    void aRequestGoesOutOnAConnectionOfTheCallersEventLoop() {
        List<EventLoop> connectedOn = new CopyOnWriteArrayList<>();
        post(clients.on(loopA).client(), connectedOn);
        post(clients.on(loopB).client(), connectedOn);

        assertThat(connectedOn).containsExactly(loopA, loopB);
    }

    @Test
    void eachLoopKeepsAndReusesItsOwnPool() throws InterruptedException {
        List<Channel> channels = new CopyOnWriteArrayList<>();
        CountDownLatch released = new CountDownLatch(1);
        BackendHttpClient.Lane lane = clients.on(loopA);
        // One observed client for both requests: the observer is part of the pool's key.
        HttpClient observed = lane.client().doOnConnected(c -> channels.add(c.channel()))
                .observe((connection, state) -> {
                    if (state == ConnectionObserver.State.RELEASED) {
                        released.countDown();
                    }
                });
        post(observed);
        // The body can arrive before the pool has taken the connection back: wait for the release, not a guess.
        assertThat(released.await(5, TimeUnit.SECONDS)).as("the first connection went back to the pool").isTrue();
        post(observed);

        assertThat(clients.on(loopA)).isSameAs(lane);
        assertThat(channels).hasSize(2);
        assertThat(channels.get(1)).as("the second request reuses the first one's connection").isSameAs(channels.get(0));
        assertThat(clients.loopPools()).isEqualTo(1);
    }

    @Test
    void theDeadlineTimerFiresOnTheLoopItself() throws Exception {
        CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
        clients.on(loopA).timer().schedule(() -> onLoop.complete(loopA.inEventLoop()), 5, TimeUnit.MILLISECONDS);

        assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void offTheEventLoopsTheSharedClientAndReactorsTimerServe() {
        BackendHttpClient.Lane lane = clients.on(null);

        assertThat(lane.client()).isSameAs(clients.client());
        assertThat(lane.timer()).isSameAs(Schedulers.parallel());
        assertThat(clients.loopPools()).isZero();
    }

    private void post(HttpClient client) {
        client.post()
                .uri("http://127.0.0.1:" + backend.port() + "/webhooks/vapi")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    private void post(HttpClient client, List<EventLoop> connectedOn) {
        String body = client.doOnConnected(connection -> connectedOn.add(connection.channel().eventLoop()))
                .post()
                .uri("http://127.0.0.1:" + backend.port() + "/webhooks/vapi")
                .responseContent().aggregate().asString()
                .block(Duration.ofSeconds(10));
        assertThat(body).contains("assistantId");
    }
}
