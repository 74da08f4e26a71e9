package dev.switchboard.router.config;

import dev.switchboard.router.decision.RouterIdentity;
import dev.switchboard.router.forwarding.BackendHttpClient;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

@Configuration(proxyBeanMethods = false)
class RouterBeans {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RouterIdentity routerIdentity(RouterProperties properties) {
        String id = properties.routerId();
        if (id == null || id.isBlank()) {
            try {
                id = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                id = "router-" + ProcessHandle.current().pid();
            }
        }
        String version = RouterBeans.class.getPackage().getImplementationVersion();
        return new RouterIdentity(id, version == null ? "0.1.0" : version);
    }

    /**
     * Pooled Reactor Netty clients for the backends (the data path: one pool per event loop) and, through
     * WebClient, the control plane.
     */
    @Bean
    BackendHttpClient backendHttpClient() {
        return new BackendHttpClient(
                name -> ConnectionProvider.builder(name)
                        .maxConnections(1000)
                        .pendingAcquireMaxCount(10_000)
                        .maxIdleTime(Duration.ofSeconds(30))
                        .build(),
                client -> client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000).compress(false));
    }

    @Bean
    WebClient.Builder routerWebClientBuilder(BackendHttpClient http) {
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http.client()))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024));
    }
}
