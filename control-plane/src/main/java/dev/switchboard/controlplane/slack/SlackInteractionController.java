package dev.switchboard.controlplane.slack;

import dev.switchboard.controlplane.web.RequestIds;
import java.time.Instant;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /slack/interactions}, the Slack app's Interactivity Request URL. Answers as Slack expects: 200
 * with an empty body for every signed request (the outcome is shown in the message or to the presser), 401 for
 * a stale timestamp or a bad signature (checked before anything is parsed).
 */
@RestController
class SlackInteractionController {

    static final int MAX_BODY = 64 * 1024;

    private final SlackInteractions interactions;

    SlackInteractionController(SlackInteractions interactions) {
        this.interactions = interactions;
    }

    @PostMapping("/slack/interactions")
    Mono<ResponseEntity<Void>> interact(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String timestamp = request.getHeaders().getFirst("X-Slack-Request-Timestamp");
        String signature = request.getHeaders().getFirst("X-Slack-Signature");
        SlackSignature verifier = interactions.signature();
        if (!verifier.fresh(timestamp, Instant.now()) || signature == null) {
            return Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).build());
        }
        return DataBufferUtils.join(request.getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> verifier.valid(timestamp, body, signature)
                        ? interactions.handle(body, RequestIds.of(exchange)).thenReturn(ResponseEntity.ok().<Void>build())
                        : Mono.just(ResponseEntity.status(HttpStatus.UNAUTHORIZED).<Void>build()));
    }
}
