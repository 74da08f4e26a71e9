package dev.switchboard.router.config;

import dev.switchboard.router.decision.RouterIdentity;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
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

    /** One pooled Reactor Netty client for backends and the control plane. */
    @Bean
    WebClient.Builder routerWebClientBuilder() {
        ConnectionProvider pool = ConnectionProvider.builder("switchboard-router")
                .maxConnections(1000)
                .pendingAcquireMaxCount(10_000)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .compress(false);
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024));
    }
}
