package dev.switchboard.controlplane.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the access log ({@code switchboard.access}) writes at INFO.
 *
 * @param mode {@code changes} (default): changes (POST/PUT/PATCH/DELETE by people and scripts) and every server error
 *             at INFO; reads, dashboard polls, SDK polls and registrations, router metric pushes and health checks
 *             at DEBUG. {@code all}: every request at INFO. {@code off}: nothing.
 */
@ConfigurationProperties("switchboard.access-log")
public record AccessLogProperties(Mode mode) {

    public enum Mode { CHANGES, ALL, OFF }

    public AccessLogProperties {
        mode = mode == null ? Mode.CHANGES : mode;
    }
}
