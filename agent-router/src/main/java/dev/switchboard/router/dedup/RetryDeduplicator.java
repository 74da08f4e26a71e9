package dev.switchboard.router.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.router.config.RouterProperties;
import dev.switchboard.router.shared.SharedStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Provider retries (same tenant-scoped retry key within the window) are forwarded once, by whichever router
 * gets them. The first delivery's answer is shared: concurrent duplicates wait for it, later ones get it
 * replayed. Answers the provider would retry anyway (5xx, no answer) are forgotten so the next retry is
 * forwarded again.
 *
 * <p>With shared state, the first router claims the key in Redis (SET NX, "in flight") and replaces the claim
 * with the answer; a router that finds the claim waits for the answer (polling, up to the default deadline) and
 * replays it. A local cache sits in front. Redis away: the router de-duplicates locally (fail open).
 */
@Component
public class RetryDeduplicator {

    private static final String IN_FLIGHT = "in-flight";
    private static final Duration AWAIT_POLL = Duration.ofMillis(25);

    private final Cache<String, Mono<Delivered>> answers;
    private final SharedStore shared;
    private final Duration window;
    private final long awaitPolls;

    @Autowired
    public RetryDeduplicator(RouterProperties properties, SharedStore shared) {
        this(properties.dedup().window(), properties.dedup().maxEntries(), shared, properties.deadlines().defaultDeadline());
    }

    RetryDeduplicator(Duration window, long maxEntries) {
        this(window, maxEntries, SharedStore.none(), Duration.ofSeconds(10));
    }

    RetryDeduplicator(Duration window, long maxEntries, SharedStore shared, Duration awaitOther) {
        this.window = window;
        this.shared = shared;
        this.awaitPolls = Math.max(1, awaitOther.toMillis() / AWAIT_POLL.toMillis());
        this.answers = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(window)
                .executor(Runnable::run)
                .build();
    }

    /** {@code duplicate} is true when the answer comes from an earlier delivery of the same event. */
    public record Outcome(StoredAnswer answer, boolean duplicate) {}

    private record Delivered(StoredAnswer answer, boolean fromOtherRouter) {}

    public Mono<Outcome> once(String key, Supplier<Mono<StoredAnswer>> forward) {
        AtomicReference<Mono<Delivered>> self = new AtomicReference<>();
        Mono<Delivered> fresh = deliver(key, forward)
                .doOnNext(d -> {
                    if (d.answer().status() >= 500) {
                        answers.asMap().remove(key, self.get());
                    } else {
                        keepOnlyTheAnswer(key, self.get(), d.answer());
                    }
                })
                .doOnError(e -> answers.asMap().remove(key, self.get()))
                .cache();
        self.set(fresh);
        Mono<Delivered> existing = answers.asMap().putIfAbsent(key, fresh);
        if (existing == null) {
            return fresh.map(d -> new Outcome(d.answer(), d.fromOtherRouter()));
        }
        return existing.map(d -> new Outcome(d.answer(), true));
    }

    private Mono<Delivered> deliver(String key, Supplier<Mono<StoredAnswer>> forward) {
        if (!shared.enabled()) {
            return Mono.defer(forward).map(a -> new Delivered(a, false));
        }
        String sharedKey = shared.key("answer", key);
        return shared.setIfAbsent(sharedKey, IN_FLIGHT, window)
                .onErrorReturn(SharedStore.SharedStateUnavailable.class, true) // fail open: forward
                .flatMap(claimed -> claimed
                        ? forwardAndShare(sharedKey, forward)
                        : awaitOtherRouter(sharedKey).switchIfEmpty(Mono.defer(() -> forwardAndShare(sharedKey, forward))));
    }

    private Mono<Delivered> forwardAndShare(String sharedKey, Supplier<Mono<StoredAnswer>> forward) {
        return Mono.defer(forward)
                .doOnNext(a -> {
                    if (a.status() >= 500) {
                        shared.delete(sharedKey);
                    } else {
                        shared.put(sharedKey, encode(a), window);
                    }
                })
                .doOnError(e -> shared.delete(sharedKey))
                .map(a -> new Delivered(a, false));
    }

    /** The other router's answer once it is there; empty when its claim went away or it takes too long. */
    private Mono<Delivered> awaitOtherRouter(String sharedKey) {
        return Mono.defer(() -> shared.get(sharedKey))
                .flatMap(value -> IN_FLIGHT.equals(value) ? Mono.error(new StillInFlight()) : Mono.justOrEmpty(decode(value)))
                .retryWhen(Retry.fixedDelay(awaitPolls, AWAIT_POLL).filter(StillInFlight.class::isInstance))
                .map(a -> new Delivered(a, true))
                .onErrorResume(e -> Mono.empty());
    }

    /**
     * While the first delivery is in flight its entry is the cached pipeline itself (duplicates wait on it), and
     * that pipeline holds the whole request: body, headers, parsed event, closures. Once answered, the entry
     * becomes the answer alone: a few hundred bytes instead of several kilobytes. With up to 100,000 entries
     * kept for the window, the request graphs filled most of a 512 MB heap, and every young collection copied
     * them on their way to the old generation: the collections were the router's p99.
     */
    private void keepOnlyTheAnswer(String key, Mono<Delivered> inFlight, StoredAnswer answer) {
        answers.asMap().replace(key, inFlight, Mono.just(new Delivered(answer, true)));
    }

    static String encode(StoredAnswer a) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "A1\n" + a.status() + "\n" + a.variant() + "\n" + a.tenant() + "\n"
                + b64.encodeToString((a.contentType() == null ? "" : a.contentType()).getBytes(StandardCharsets.UTF_8)) + "\n"
                + b64.encodeToString(a.body() == null ? new byte[0] : a.body());
    }

    static StoredAnswer decode(String value) {
        String[] parts = value.split("\n", -1);
        if (parts.length != 6 || !"A1".equals(parts[0])) {
            return null;
        }
        Base64.Decoder b64 = Base64.getDecoder();
        String type = new String(b64.decode(parts[4]), StandardCharsets.UTF_8);
        return new StoredAnswer(Integer.parseInt(parts[1]), type.isEmpty() ? null : type, b64.decode(parts[5]), parts[2], parts[3]);
    }

    private static final class StillInFlight extends RuntimeException {
        StillInFlight() {
            super(null, null, false, false);
        }
    }
}
