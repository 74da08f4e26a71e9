package dev.switchboard.router.forwarding;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * One webhook as it is sent to a backend: same path, body bytes and provider headers as received.
 * {@code intakeLoop} is the event loop the webhook arrived on (null off Netty): it is forwarded on that loop's
 * own connections.
 */
public record BackendRequest(String path, HttpHeaders headers, byte[] body, String tenant, String requestId,
        EventLoop intakeLoop) {}
