package dev.switchboard.controlplane.pagerduty;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PagerDuty's v3 webhook subscription back to Switchboard ({@code switchboard.pagerduty}).
 *
 * @param webhookSecrets the subscription's signing secret; two while one is being rotated. Empty switches the
 *                       endpoint off (every request 401).
 */
@ConfigurationProperties("switchboard.pagerduty")
public record PagerDutyWebhookProperties(@DefaultValue List<String> webhookSecrets) {

    public PagerDutyWebhookProperties {
        webhookSecrets = webhookSecrets == null ? List.of()
                : webhookSecrets.stream().filter(s -> s != null && !s.isBlank()).toList();
    }
}
