package dev.switchboard.demo.agent;

import java.nio.charset.StandardCharsets;

/** An HTTP answer of the simulated agent. */
public record AgentReply(int status, String contentType, String body) {

    static final String JSON = "application/json";
    static final String XML = "text/xml; charset=utf-8";

    static AgentReply json(int status, String body) {
        return new AgentReply(status, JSON, body);
    }

    public byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
