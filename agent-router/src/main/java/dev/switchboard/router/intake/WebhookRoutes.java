package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Webhook intake straight on Reactor Netty, ahead of Spring WebFlux (which keeps actuator and everything else).
 * The router only moves bytes: WebFlux's exchange, header maps, handler mapping and result handling were a large
 * share of its CPU and of the garbage per webhook, and that garbage is what the young-generation pauses in the
 * tail latency come from. Only POSTs under /webhooks/ are taken here; anything else falls through to Spring.
 */
@Configuration(proxyBeanMethods = false)
class WebhookRoutes {

    private static final String PREFIX = "/webhooks/";

    @Bean
    NettyRouteProvider webhookIntake(WebhookPipeline pipeline, ProblemResponses problems) {
        return routes -> routes.route(WebhookRoutes::isWebhookPost, (request, response) -> {
            String path = path(request.uri());
            Mono<WebhookReply> reply = Provider.byPath(path)
                    .map(provider -> pipeline.handle(provider, request))
                    .orElseGet(() -> Mono.just(problems.of(404, "unknown_provider", "path",
                            "no webhook intake at " + path + "; known: /webhooks/vapi, /webhooks/twilio/voice, "
                                    + "/webhooks/retell, /webhooks/generic",
                            RequestIds.acceptOrCreate(request.requestHeaders().get("X-Request-ID")))));
            return reply.flatMap(r -> write(response, r))
                    .onErrorResume(WebhookPipeline::clientGone, e -> {
                        pipeline.clientAborted(Provider.byPath(path).orElse(Provider.GENERIC), "-", e);
                        return Mono.empty();
                    });
        });
    }

    private static boolean isWebhookPost(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && request.uri().startsWith(PREFIX);
    }

    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static Mono<Void> write(HttpServerResponse response, WebhookReply reply) {
        response.status(reply.status())
                .header("X-Request-ID", reply.requestId())
                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(reply.body().length));
        if (reply.close()) {
            response.keepAlive(false);
        }
        if (reply.variant() != null) {
            response.header("X-Switchboard-Variant", reply.variant());
        }
        if (reply.contentType() != null) {
            response.header(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        return reply.body().length == 0 ? response.send().then() : response.sendByteArray(Mono.just(reply.body())).then();
    }
}
