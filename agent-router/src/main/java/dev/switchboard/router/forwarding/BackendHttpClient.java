package dev.switchboard.router.forwarding;

import reactor.netty.http.client.HttpClient;

/** The pooled Reactor Netty client the router forwards webhooks with (configured in RouterBeans). */
public record BackendHttpClient(HttpClient client) {}
