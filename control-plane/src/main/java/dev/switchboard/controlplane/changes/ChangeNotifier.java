package dev.switchboard.controlplane.changes;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Announces a flag change with Postgres {@code NOTIFY} inside the change's own transaction: listeners hear of it
 * exactly when (and only if) it commits, on every control-plane replica.
 */
@Component
public class ChangeNotifier {

    public static final String CHANNEL = "switchboard_flag_changes";

    private final DatabaseClient db;

    ChangeNotifier(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> flagChanged(String flag, long revision) {
        return db.sql("SELECT pg_notify('" + CHANNEL + "', :payload)")
                .bind("payload", flag + ":" + revision).fetch().rowsUpdated().then();
    }
}
