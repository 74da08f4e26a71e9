package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.POST;

@Configuration(proxyBeanMethods = false)
class WebhookRoutes {

    @Bean
    RouterFunction<ServerResponse> webhookRouter(WebhookPipeline pipeline, ProblemResponses problems) {
        RouterFunctions.Builder routes = RouterFunctions.route();
        for (Provider provider : Provider.values()) {
            routes.POST(provider.path(), request -> pipeline.handle(provider, request));
        }
        return routes
                .route(POST("/webhooks/**"), request -> problems.of(404, "unknown_provider", "path",
                        "no webhook intake at " + request.path() + "; known: /webhooks/vapi, /webhooks/twilio/voice, "
                                + "/webhooks/retell, /webhooks/generic",
                        RequestIds.acceptOrCreate(request.headers().firstHeader("X-Request-ID"))))
                .build();
    }
}
