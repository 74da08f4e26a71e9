package dev.switchboard.controlplane.changes;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness part {@code flagChanges} (the bean name less its suffix): UP once the change feed hears flag changes. The feed connects in the
 * background after the context has started, so without this readiness could say UP before SDK streams and the
 * payload caches are told about changes; it also goes DOWN while the listener reconnects.
 */
@Component("flagChangesHealthIndicator")
class FlagChangesHealth implements HealthIndicator {

    private final ChangeFeed feed;

    FlagChangesHealth(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Health health() {
        return feed.listening() ? Health.up().build()
                : Health.down().withDetail("reason", "not listening for flag changes yet (connecting or reconnecting)").build();
    }
}
