package dev.switchboard.controlplane.alerts;

import dev.switchboard.controlplane.scheduling.PeriodicRounds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Delivers the outbox, apart from the analysis loop (which only writes rows): claim due rows, send, settle.
 * A failure is retried with exponential backoff (or the party's Retry-After on 429); a refusal (400) is final
 * and recorded. A row is settled only after its send, so nothing is lost when a sink is down for minutes; it is
 * sent again only if this process dies between the send and the settle (claim timeout), which PagerDuty's
 * dedup_key absorbs.
 *
 * <p>After each round it counts what is still waiting ({@code switchboard_alerts_pending}: the outbox's backlog, the
 * same on every replica since they share it), so an alert that cannot get out pages through the metrics path.
 */
@Component
public class DeliveryWorker extends PeriodicRounds {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final AlertStore store;
    private final AlertProperties properties;
    private final Map<String, Sink> sinks;
    private final AtomicLong pending = new AtomicLong();

    DeliveryWorker(AlertStore store, AlertProperties properties, List<Sink> sinks, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.sinks = sinks.stream().collect(Collectors.toMap(Sink::name, Function.identity()));
        if (properties.deliveryEnabled()) {
            Gauge.builder("switchboard.alerts.pending", pending, AtomicLong::get)
                    .description("Alert deliveries (Slack, PagerDuty) waiting in the outbox, counted after each delivery round")
                    .register(meters);
        }
    }

    @Override
    protected boolean enabled() {
        return properties.deliveryEnabled();
    }

    @Override
    protected Duration every() {
        return properties.pollInterval();
    }

    @Override
    protected Mono<Void> round(long tick) {
        return deliverDue().then(store.pendingCount()).doOnNext(pending::set).then();
    }

    /** One round: claim up to 20 due messages and settle each. */
    public Mono<Void> deliverDue() {
        return store.claim(20).flatMap(this::deliver, 4).then();
    }

    private Mono<Void> deliver(AlertStore.Delivery d) {
        Sink sink = sinks.get(d.sink());
        if (sink == null) {
            return store.failed(d.id(), "no sink named " + d.sink());
        }
        return sink.send(d).flatMap(result -> {
            if (result instanceof Sink.Result.Delivered) {
                return store.delivered(d.id());
            }
            if (result instanceof Sink.Result.Failed f) {
                LOG.warn("alert delivery {} to {} refused for good: {}", d.id(), d.sink(), f.error());
                return store.failed(d.id(), f.error());
            }
            Sink.Result.Retry r = (Sink.Result.Retry) result;
            Duration after = r.after().orElseGet(() -> backoff(d.attempts()));
            LOG.info("alert delivery {} to {} will be retried in {}: {}", d.id(), d.sink(), after, r.error());
            return store.retryLater(d.id(), after, r.error());
        });
    }

    private Duration backoff(int attempts) {
        long base = properties.backoffBase().toMillis();
        long capped = Math.min(properties.backoffMax().toMillis(), base << Math.min(Math.max(attempts - 1, 0), 16));
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(capped / 5, 1));
        return Duration.ofMillis(capped + jitter);
    }
}
