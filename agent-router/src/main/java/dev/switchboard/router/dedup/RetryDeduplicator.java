package dev.switchboard.router.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.router.config.RouterProperties;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Provider retries (same retry key within the window) are forwarded once. The first delivery's answer is
 * shared: concurrent duplicates wait for it, later ones get it replayed. Answers the provider would retry
 * anyway (5xx, no answer) are forgotten so the next retry is forwarded again.
 */
@Component
public class RetryDeduplicator {

    private final Cache<String, Mono<StoredAnswer>> answers;

    @Autowired
    public RetryDeduplicator(RouterProperties properties) {
        this(properties.dedup().window(), properties.dedup().maxEntries());
    }

    RetryDeduplicator(Duration window, long maxEntries) {
        this.answers = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(window)
                .executor(Runnable::run)
                .build();
    }

    /** {@code duplicate} is true when the answer comes from an earlier delivery of the same event. */
    public record Outcome(StoredAnswer answer, boolean duplicate) {}

    public Mono<Outcome> once(String key, Supplier<Mono<StoredAnswer>> forward) {
        AtomicReference<Mono<StoredAnswer>> self = new AtomicReference<>();
        Mono<StoredAnswer> fresh = Mono.defer(forward)
                .doOnNext(a -> {
                    if (a.status() >= 500) {
                        answers.asMap().remove(key, self.get());
                    } else {
                        keepOnlyTheAnswer(key, self.get(), a);
                    }
                })
                .doOnError(e -> answers.asMap().remove(key, self.get()))
                .cache();
        self.set(fresh);
        Mono<StoredAnswer> existing = answers.asMap().putIfAbsent(key, fresh);
        if (existing == null) {
            return fresh.map(a -> new Outcome(a, false));
        }
        return existing.map(a -> new Outcome(a, true));
    }

    /**
     * While the first delivery is in flight its entry is the cached pipeline itself (duplicates wait on it), and
     * that pipeline holds the whole request: body, headers, parsed event, closures. Once answered, the entry
     * becomes the answer alone: a few hundred bytes instead of several kilobytes. With up to 100,000 entries
     * kept for the window, the request graphs filled most of a 512 MB heap, and every young collection copied
     * them on their way to the old generation: the collections were the router's p99.
     */
    private void keepOnlyTheAnswer(String key, Mono<StoredAnswer> inFlight, StoredAnswer answer) {
        answers.asMap().replace(key, inFlight, Mono.just(answer));
    }
}
