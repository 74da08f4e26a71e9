package dev.switchboard.controlplane.alerts;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where alerts go and how hard we try ({@code switchboard.alerts}). Base URLs are configurable so tests and the
 * demo point them at WireMock.
 *
 * @param cooldown      a second alert with the same key within this time is recorded but not sent (storms)
 * @param pollInterval  how often the delivery worker looks for due messages
 * @param claimTimeout  a claimed message not settled in this time (worker died) is claimed again
 * @param backoffBase   first retry delay; doubles per attempt up to {@code backoffMax}
 */
@Validated
@ConfigurationProperties("switchboard.alerts")
public record AlertProperties(@DefaultValue @NotNull Slack slack, @DefaultValue @NotNull PagerDuty pagerduty,
                              @DefaultValue("15m") @NotNull Duration cooldown,
                              @DefaultValue("1s") @NotNull Duration pollInterval,
                              @DefaultValue("60s") @NotNull Duration claimTimeout,
                              @DefaultValue("2s") @NotNull Duration backoffBase,
                              @DefaultValue("5m") @NotNull Duration backoffMax,
                              @DefaultValue("true") boolean deliveryEnabled) {

    /**
     * @param botToken   bot token for chat.postMessage (preferred)
     * @param channel    channel for chat.postMessage
     * @param webhookUrl incoming-webhook URL, used when no bot token is set
     * @param apiUrl     Slack Web API prefix (ends with /api/)
     */
    public record Slack(@DefaultValue("") String botToken, @DefaultValue("#voice-agent-alerts") String channel,
                        @DefaultValue("") String webhookUrl, @DefaultValue("https://slack.com/api/") String apiUrl) {

        public boolean configured() {
            return !botToken.isBlank() || !webhookUrl.isBlank();
        }
    }

    /**
     * @param routingKey Events API v2 integration key (32 characters)
     * @param baseUrl    events endpoint base; {@code /v2/enqueue} is appended
     */
    public record PagerDuty(@DefaultValue("") String routingKey,
                            @DefaultValue("https://events.pagerduty.com") String baseUrl) {

        public boolean configured() {
            return !routingKey.isBlank();
        }
    }
}
