package dev.switchboard.demo.sinks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * Simulated Slack Web API and PagerDuty Events API v2 in one WireMock server: {@code /api/chat.postMessage}
 * answers {@code {"ok":true,...}} as Slack does, {@code /v2/enqueue} answers 202 with the event's dedup key,
 * and WireMock's journal ({@code /__admin/requests}) keeps what arrived.
 */
public final class AlertSinks implements AutoCloseable {

    private final WireMockServer server;

    public AlertSinks(String host, int port) {
        server = new WireMockServer(options().bindAddress(host).port(port).templatingEnabled(true)
                .globalTemplating(false).maxRequestJournalEntries(1000));
    }

    public AlertSinks start() {
        server.start();
        server.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody("{\"ok\":true,\"channel\":\"C0DEMOALERTS\",\"ts\":\"{{now format='epoch'}}.000100\","
                        + "\"message\":{\"type\":\"message\",\"bot_id\":\"B0DEMO\"}}")
                .withTransformers("response-template")));
        // any other Slack Web API method the SDK may call (auth.test, chat.update ...)
        server.stubFor(any(urlPathMatching("/api/.*")).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8").withBody("{\"ok\":true}")));
        // incoming-webhook style URLs
        server.stubFor(post(urlPathMatching("/services/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        server.stubFor(post(urlPathEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\","
                        + "\"dedup_key\":\"{{jsonPath request.body '$.dedup_key'}}\"}")
                .withTransformers("response-template")));
        return this;
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
