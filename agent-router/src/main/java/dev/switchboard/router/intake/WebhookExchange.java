package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.decision.Variant;
import dev.switchboard.router.signatures.SignatureCheck;
import dev.switchboard.router.tenants.TenantResolution;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * One webhook on its way through the pipeline's steps: what arrived, then what each step found out. Used on one
 * request's chain only, step after step, never shared between requests.
 */
final class WebhookExchange {

    final Provider provider;
    final String uri;
    final HttpHeaders headers;
    final String requestId;
    final long startedNanos;
    final EventLoop intakeLoop;

    /** The tenant the request names before anything is parsed (signed tenant header, URL hint); may be null. */
    String tenantHint;
    byte[] body;
    Map<String, List<String>> form = Map.of();
    SignatureCheck signature;
    ParsedEvent event;
    TenantResolution tenant;
    /** The call's pin, claimed ahead (shared state) while the retry key is claimed. */
    reactor.core.publisher.Mono<dev.switchboard.router.pinning.CallPinning.Pin> pinAhead;
    Variant variant;
    boolean newCall;

    WebhookExchange(Provider provider, String uri, HttpHeaders headers, String requestId, long startedNanos,
            EventLoop intakeLoop) {
        this.provider = provider;
        this.uri = uri;
        this.headers = headers;
        this.requestId = requestId;
        this.startedNanos = startedNanos;
        this.intakeLoop = intakeLoop;
    }

    String providerId() {
        return provider.id();
    }
}
