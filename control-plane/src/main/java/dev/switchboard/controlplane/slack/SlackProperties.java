package dev.switchboard.controlplane.slack;

import dev.switchboard.controlplane.security.Role;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Acting from Slack ({@code switchboard.slack}): the app's signing secret and which Slack users hold which
 * role. A Slack user not listed can press nothing. Messages are updated with the bot token and API URL of
 * {@code switchboard.alerts.slack}.
 *
 * @param signingSecret the Slack app's signing secret (Basic Information → App Credentials); empty switches the
 *                      interaction endpoint off (every request 401)
 * @param users         Slack user id (e.g. {@code U024BE7LH}) → {@code viewer}, {@code operator} or {@code admin}
 * @param maxAge        how old a request's timestamp may be (Slack's replay window is 5 minutes)
 */
@Validated
@ConfigurationProperties("switchboard.slack")
public record SlackProperties(@DefaultValue("") String signingSecret, @DefaultValue Map<String, String> users,
                              @DefaultValue("5m") @NotNull Duration maxAge) {

    public SlackProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        for (Map.Entry<String, String> user : users.entrySet()) {
            Role role = Role.fromWire(user.getValue());
            if (role == Role.ROUTER) {
                throw new IllegalArgumentException("switchboard.slack.users." + user.getKey()
                        + ": role must be viewer, operator or admin");
            }
        }
    }

    Optional<Role> role(String slackUserId) {
        return Optional.ofNullable(users.get(slackUserId)).map(Role::fromWire);
    }
}
