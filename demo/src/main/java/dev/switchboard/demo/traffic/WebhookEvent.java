package dev.switchboard.demo.traffic;

import java.util.Map;

/** One webhook of a call as a provider would send it: path, content type, body and provider headers. */
public record WebhookEvent(String provider, String type, String path, String contentType, String body,
                           Map<String, String> form) {

    public static final String JSON = "application/json";
    public static final String FORM = "application/x-www-form-urlencoded";
}
