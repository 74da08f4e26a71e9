package dev.switchboard.controlplane.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import dev.switchboard.controlplane.alerts.AlertProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Switchboard says back in Slack after a button: the original message updated in place
 * ({@code chat.update}) and a note only the presser sees ({@code chat.postEphemeral}), both with the bot token
 * of {@code switchboard.alerts.slack}. Without a bot token (incoming-webhook set-ups) the interaction's
 * {@code response_url} is used instead. The SDK blocks, so calls run on the bounded-elastic scheduler; a
 * failure is logged and never undoes the change already made.
 */
@Component
class SlackReplies {

    private static final Logger LOG = LoggerFactory.getLogger(SlackReplies.class);

    private final AlertProperties.Slack config;
    private final JsonMapper json;
    private volatile Slack slack;

    SlackReplies(AlertProperties alerts, JsonMapper json) {
        this.config = alerts.slack();
        this.json = json;
    }

    /** Made on first use: the SDK is not needed at start. */
    private Slack slack() {
        Slack s = slack;
        if (s == null) {
            SlackConfig c = new SlackConfig();
            c.setMethodsEndpointUrlPrefix(config.apiUrl());
            c.setPrettyResponseLoggingEnabled(false);
            c.setStatsEnabled(false);
            s = Slack.getInstance(c);
            slack = s;
        }
        return s;
    }

    Mono<Void> update(String channel, String ts, String responseUrl, String text, List<Object> blocks) {
        return call("chat.update", () -> {
            String blocksJson = json.writeValueAsString(blocks);
            if (!config.botToken().isBlank() && channel != null && ts != null) {
                ChatUpdateResponse r = slack().methods(config.botToken()).chatUpdate(q -> q.channel(channel).ts(ts)
                        .text(text).blocksAsString(blocksJson));
                return r.isOk() ? null : r.getError();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("replace_original", true);
            body.put("text", text);
            body.put("blocks", blocks);
            return viaResponseUrl(responseUrl, body);
        });
    }

    Mono<Void> ephemeral(String channel, String user, String responseUrl, String text) {
        return call("chat.postEphemeral", () -> {
            if (!config.botToken().isBlank() && channel != null) {
                ChatPostEphemeralResponse r = slack().methods(config.botToken()).chatPostEphemeral(q -> q
                        .channel(channel).user(user).text(text));
                return r.isOk() ? null : r.getError();
            }
            return viaResponseUrl(responseUrl, Map.of("response_type", "ephemeral", "replace_original", false,
                    "text", text));
        });
    }

    private String viaResponseUrl(String responseUrl, Map<String, Object> body) throws Exception {
        if (responseUrl == null || !responseUrl.startsWith("https://") && !responseUrl.startsWith("http://")) {
            return "no bot token and no response_url";
        }
        int status = slack().send(responseUrl, json.writeValueAsString(body)).getCode();
        return status / 100 == 2 ? null : "response_url answered " + status;
    }

    private interface SlackCall {
        /** @return null when Slack accepted it, else what went wrong */
        String run() throws Exception;
    }

    private static Mono<Void> call(String what, SlackCall call) {
        return Mono.fromCallable(() -> java.util.Optional.ofNullable(call.run()))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(Duration.ofSeconds(10))
                .doOnNext(error -> error.ifPresent(e -> LOG.warn("Slack {} refused: {}", what, e)))
                .onErrorResume(e -> {
                    LOG.warn("Slack {} failed: {}", what, e.toString());
                    return Mono.empty();
                })
                .then();
    }
}
