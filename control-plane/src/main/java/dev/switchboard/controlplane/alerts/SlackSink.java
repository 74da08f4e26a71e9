package dev.switchboard.controlplane.alerts;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.webhook.WebhookResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Slack through slack-api-client: {@code chat.postMessage} with Block Kit when a bot token is set, else the
 * incoming webhook. The SDK is blocking (OkHttp), so calls run on the bounded-elastic scheduler, never on an
 * event loop. Slack reports most errors as 200 {@code ok:false}; rate limits as 429 with Retry-After. The SDK
 * client (OkHttp, Gson and the SDK's own classes) is built on the first delivery, not at start: most control
 * planes never send one in their first minutes, and building it cost a fifth of a second of every start.
 */
@Component
class SlackSink implements Sink {

    /** ok:false errors worth retrying; anything else (channel_not_found, invalid_auth, ...) is final. */
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "rate_limited", "internal_error",
            "fatal_error", "service_unavailable", "request_timeout");

    private final AlertProperties properties;
    private final JsonMapper json;
    private Slack slack;

    SlackSink(AlertProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** The SDK client, built once on first use (a bounded-elastic thread: it reads the SDK's resources). */
    private synchronized Slack slack() {
        if (slack == null) {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(properties.slack().apiUrl());
            config.setPrettyResponseLoggingEnabled(false);
            config.setStatsEnabled(false);
            slack = Slack.getInstance(config);
        }
        return slack;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public Mono<Result> send(AlertStore.Delivery delivery) {
        AlertProperties.Slack cfg = properties.slack();
        if (!cfg.configured()) {
            return Mono.just(new Result.Failed("Slack is not configured (switchboard.alerts.slack.bot-token or webhook-url)"));
        }
        return Mono.fromCallable(() -> cfg.botToken().isBlank() ? webhook(cfg, delivery) : postMessage(cfg, delivery))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(Duration.ofSeconds(15))
                .onErrorResume(e -> Mono.just(new Result.Retry(Optional.empty(), "Slack unreachable: " + e)));
    }

    private Result postMessage(AlertProperties.Slack cfg, AlertStore.Delivery delivery) throws Exception {
        JsonNode payload = json.readTree(delivery.payload());
        try {
            ChatPostMessageResponse response = slack().methods(cfg.botToken()).chatPostMessage(r -> r
                    .channel(cfg.channel())
                    .text(payload.path("text").asString())
                    .blocksAsString(json.writeValueAsString(payload.path("blocks"))));
            if (response.isOk()) {
                return new Result.Delivered();
            }
            String error = "Slack chat.postMessage: " + response.getError();
            return TRANSIENT.contains(response.getError()) ? new Result.Retry(Optional.empty(), error)
                    : new Result.Failed(error);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            String error = "Slack answered " + status + ": " + e.getResponseBody();
            if (status == 429) {
                return new Result.Retry(PagerDutySink.retryAfter(e.getResponse().headers("Retry-After")), error);
            }
            return status >= 500 ? new Result.Retry(Optional.empty(), error) : new Result.Failed(error);
        }
    }

    private Result webhook(AlertProperties.Slack cfg, AlertStore.Delivery delivery) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = json.readValue(delivery.payload(), Map.class);
        WebhookResponse response = slack().send(cfg.webhookUrl(), json.writeValueAsString(payload));
        int status = response.getCode();
        if (status >= 200 && status < 300) {
            return new Result.Delivered();
        }
        String error = "Slack webhook answered " + status + ": " + response.getBody();
        if (status == 429) {
            return new Result.Retry(Optional.empty(), error);
        }
        return status >= 500 ? new Result.Retry(Optional.empty(), error) : new Result.Failed(error);
    }
}
