package dev.switchboard.controlplane.changes;

import dev.switchboard.controlplane.flags.FlagState;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * Announces a flag change with Postgres {@code NOTIFY} inside the change's own transaction: listeners hear of it
 * exactly when (and only if) it commits, on every control-plane replica. This replica is also told right after the
 * commit, with the committed state itself ({@link ChangeFeed#committedHere(FlagState)}): its caches see the change at
 * once and its SDK streams get the state without waiting for the NOTIFY or reading it back. That happens before the
 * transaction's result reaches the caller, so the stream writes start before the API's answer is written.
 */
@Component
public class ChangeNotifier {

    public static final String CHANNEL = "switchboard_flag_changes";

    private final DatabaseClient db;
    private final ChangeFeed feed;

    ChangeNotifier(DatabaseClient db, ChangeFeed feed) {
        this.db = db;
        this.feed = feed;
    }

    /** {@code committed}: the flag as this transaction wrote it (read back inside it, under the row lock). */
    public Mono<Void> flagChanged(FlagState committed) {
        Mono<Void> afterCommit = TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(tx -> tx.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(() -> feed.committedHere(committed));
                    }
                }))
                // outside a transaction the NOTIFY is its own commit
                .onErrorResume(e -> Mono.fromRunnable(() -> feed.committedHere(committed)).then(Mono.empty()))
                .then();
        return db.sql("SELECT pg_notify('" + CHANNEL + "', :payload)")
                .bind("payload", committed.name() + ":" + committed.revision()).fetch().rowsUpdated()
                .then(afterCommit);
    }
}
