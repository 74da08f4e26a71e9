package dev.switchboard.router.decision;

import io.getunleash.event.EventDispatcher;
import io.getunleash.event.ToggleEvaluated;
import io.getunleash.event.UnleashEvent;
import io.getunleash.util.UnleashConfig;

/**
 * The events the SDK raises on each decision, minus {@link ToggleEvaluated}. The SDK hands every event to its
 * executor thread, so each {@code isEnabled} woke a second thread for an event none of the router's subscribers
 * reads (yes/no counts come from the engine, not from this event): one extra hand-off per webhook, on a data path
 * whose added p99 budget is 2 ms. Impression events (opt-in per flag) still go through.
 */
final class DecisionEvents extends EventDispatcher {

    DecisionEvents(UnleashConfig config) {
        super(config);
    }

    @Override
    public void dispatch(UnleashEvent event) {
        if (!(event instanceof ToggleEvaluated)) {
            super.dispatch(event);
        }
    }
}
