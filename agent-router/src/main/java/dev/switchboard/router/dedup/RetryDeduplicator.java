package dev.switchboard.router.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.router.config.RouterProperties;
import java.util.function.Supplier;
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

    public RetryDeduplicator(RouterProperties properties) {
        this.answers = Caffeine.newBuilder()
                .maximumSize(properties.dedup().maxEntries())
                .expireAfterWrite(properties.dedup().window())
                .executor(Runnable::run)
                .build();
    }

    /** {@code duplicate} is true when the answer comes from an earlier delivery of the same event. */
    public record Outcome(StoredAnswer answer, boolean duplicate) {}

    public Mono<Outcome> once(String key, Supplier<Mono<StoredAnswer>> forward) {
        Mono<StoredAnswer> fresh = Mono.defer(forward)
                .doOnNext(a -> {
                    if (a.status() >= 500) {
                        answers.invalidate(key);
                    }
                })
                .doOnError(e -> answers.invalidate(key))
                .cache();
        Mono<StoredAnswer> existing = answers.asMap().putIfAbsent(key, fresh);
        if (existing == null) {
            return fresh.map(a -> new Outcome(a, false));
        }
        return existing.map(a -> new Outcome(a, true));
    }
}
