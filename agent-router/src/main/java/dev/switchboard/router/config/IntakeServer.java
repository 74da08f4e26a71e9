package dev.switchboard.router.config;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP server's own limits: a request whose headers or body stop arriving is cut by the read timeout, and one
 * that has not arrived whole within the read timeout of its first byte is answered 408 and closed (slow senders
 * cannot hold connections and buffers open); an idle keep-alive connection is closed by the idle timeout; folded
 * header lines are refused before the HTTP decoder joins them ({@link StrictHeaderFraming}).
 */
@Configuration(proxyBeanMethods = false)
class IntakeServer {

    @Bean
    NettyServerCustomizer intakeTimeouts(RouterProperties properties) {
        return server -> server
                .readTimeout(properties.intake().readTimeout())
                .idleTimeout(properties.intake().idleTimeout())
                .httpRequestDecoder(spec -> spec.allowDuplicateContentLengths(false).validateHeaders(true))
                .doOnChannelInit((observer, channel, remote) -> {
                    StrictHeaderFraming scanner = new StrictHeaderFraming(properties.intake().readTimeout());
                    channel.pipeline().addFirst("switchboard.strictHeaderFraming", scanner);
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, "switchboard.requestEnd",
                                new StrictHeaderFraming.RequestEnd(scanner));
                    }
                });
    }
}
