package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.metrics.RouterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;

/**
 * One webhook from arrival to answer, as named steps (each a small class, composed here in order, as a gateway
 * composes filters):
 * <ol>
 * <li>{@link IntakeStep} framing, size, media type, tenant hint, raw body read once and bounded;</li>
 * <li>{@link VerifyStep} signature on the raw bytes;</li>
 * <li>{@link ParseStep} provider fields;</li>
 * <li>{@link ResolveTenantStep} tenant;</li>
 * <li>{@link DedupStep} provider retries forwarded once (shared between routers);</li>
 * <li>{@link DecideStep} call pin (shared) or the {@link FlagDecision};</li>
 * <li>{@link ForwardStep} backend, deadline, failover;</li>
 * <li>{@link RecordStep} metrics.</li>
 * </ol>
 * Rejections become problem+json in one place; a client that goes away mid-request is counted, logged at DEBUG.
 */
@Component
class WebhookPipeline {

    private static final Logger log = LoggerFactory.getLogger(WebhookPipeline.class);

    private final IntakeStep intake;
    private final VerifyStep verify;
    private final ParseStep parse;
    private final ResolveTenantStep resolveTenant;
    private final DedupStep dedup;
    private final DecideStep decide;
    private final ForwardStep forward;
    private final RecordStep record;
    private final RouterMetrics metrics;
    private final ProblemResponses problems;
    private final Counter aborts;

    WebhookPipeline(IntakeStep intake, VerifyStep verify, ParseStep parse, ResolveTenantStep resolveTenant,
            DedupStep dedup, DecideStep decide, ForwardStep forward, RecordStep record, RouterMetrics metrics,
            ProblemResponses problems, MeterRegistry meters) {
        this.intake = intake;
        this.verify = verify;
        this.parse = parse;
        this.resolveTenant = resolveTenant;
        this.dedup = dedup;
        this.decide = decide;
        this.forward = forward;
        this.record = record;
        this.metrics = metrics;
        this.problems = problems;
        this.aborts = Counter.builder("switchboard.router.client.aborts")
                .description("webhooks whose caller closed the connection before the answer")
                .register(meters);
        // A connection reset can also reach Reactor after the request's chain ended (dropped errors): a caller going
        // away is not the router's failure, DEBUG only; anything else dropped stays visible.
        reactor.core.publisher.Hooks.onErrorDropped(e -> {
            if (clientGone(e)) {
                log.debug("caller went away: {}", e.toString());
            } else {
                log.warn("error after a webhook's chain ended", e);
            }
        });
    }

    Mono<WebhookReply> handle(Provider provider, HttpServerRequest request) {
        long started = System.nanoTime();
        String requestId = RequestIds.acceptOrCreate(request.requestHeaders().get("X-Request-ID"));
        WebhookExchange exchange = new WebhookExchange(provider, request.uri(), request.requestHeaders(), requestId,
                started, intakeLoop(request));
        return Mono.defer(() -> intake.read(exchange, request))
                .map(verify::apply)
                .map(parse::apply)
                .map(resolveTenant::apply)
                .map(decide::claimAhead)
                .flatMap(x -> dedup.apply(x, d -> decide.apply(d).flatMap(p -> forward.apply(p, record::apply))))
                .map(a -> new WebhookReply(a.status(), a.contentType(), a.body(), requestId, a.variant()))
                .onErrorResume(WebhookRejection.class, rejection -> {
                    metrics.rejected(provider.id(), rejection.status(), rejection.reason());
                    return Mono.just(problems.of(rejection, requestId));
                })
                .onErrorResume(WebhookPipeline::clientGone, e -> {
                    clientAborted(provider, requestId, e);
                    return Mono.empty();
                })
                .onErrorResume(e -> {
                    log.error("router failure on {} request {}", provider.id(), requestId, e);
                    return Mono.just(problems.of(502, "router_failure", null, "the router could not handle this webhook", requestId));
                });
    }

    /** A caller that went away (aborted, reset, closed mid-body): nothing to answer, nothing to alert on. */
    static boolean clientGone(Throwable e) {
        return e instanceof AbortedException
                || (e instanceof IOException && !(e.getClass().getName().contains("Timeout")));
    }

    void clientAborted(Provider provider, String requestId, Throwable e) {
        aborts.increment();
        log.debug("caller went away on {} request {}: {}", provider.id(), requestId, e.toString());
    }

    private static EventLoop intakeLoop(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }
}
