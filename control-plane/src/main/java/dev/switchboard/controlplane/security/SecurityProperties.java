package dev.switchboard.controlplane.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tokens accepted without a database row: the bootstrap admin token (scripts, CI, the demo) and the client
 * token routers and SDKs use. Either may be empty, which disables it.
 */
@ConfigurationProperties("switchboard.security")
public record SecurityProperties(String bootstrapAdminToken, String clientToken) {
}
