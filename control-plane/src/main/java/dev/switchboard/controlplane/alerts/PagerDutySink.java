package dev.switchboard.controlplane.alerts;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** PagerDuty Events API v2: {@code POST {base}/v2/enqueue}; 202 accepted, 400 final, 429 and 5xx retried. */
@Component
class PagerDutySink implements Sink {

    private final WebClient client;
    private final AlertProperties properties;
    private final JsonMapper json;

    PagerDutySink(AlertProperties properties, JsonMapper json) {
        this.client = WebClient.builder().build();
        this.properties = properties;
        this.json = json;
    }

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Mono<Result> send(AlertStore.Delivery delivery) {
        if (!properties.pagerduty().configured()) {
            return Mono.just(new Result.Failed("PagerDuty is not configured (switchboard.alerts.pagerduty.routing-key)"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_key", properties.pagerduty().routingKey());
        body.putAll(json.readValue(delivery.payload(), Map.class));
        return client.post().uri(properties.pagerduty().baseUrl().replaceAll("/+$", "") + "/v2/enqueue")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("").map(text -> {
                    int status = response.statusCode().value();
                    if (status >= 200 && status < 300) {
                        return (Result) new Result.Delivered();
                    }
                    String error = "PagerDuty answered " + status + ": " + text;
                    if (status == 429) {
                        return new Result.Retry(retryAfter(response.headers().header("Retry-After")), error);
                    }
                    if (status >= 500 || status == 408) {
                        return new Result.Retry(Optional.empty(), error);
                    }
                    return new Result.Failed(error);
                }))
                .timeout(Duration.ofSeconds(10))
                .onErrorResume(e -> Mono.just(new Result.Retry(Optional.empty(), "PagerDuty unreachable: " + e)));
    }

    static Optional<Duration> retryAfter(java.util.List<String> values) {
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(values.get(0).trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
