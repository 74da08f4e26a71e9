package dev.switchboard.router.forwarding;

import io.netty.handler.codec.http.HttpHeaders;

/** One webhook as it is sent to a backend: same path, body bytes and provider headers as received. */
public record BackendRequest(String path, HttpHeaders headers, byte[] body, String tenant, String requestId) {}
