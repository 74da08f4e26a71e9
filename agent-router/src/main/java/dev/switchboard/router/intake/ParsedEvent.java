package dev.switchboard.router.intake;

import dev.switchboard.router.Provider;
import dev.switchboard.router.tenants.Identifier;
import java.util.List;
import java.util.Optional;

/**
 * What the router needs from a webhook: event type (deadline, failover policy), call id (pinning),
 * retry key (de-duplication), identifiers or an explicit tenant, and whether the event ends the call.
 */
public record ParsedEvent(
        Provider provider,
        String eventType,
        Optional<String> callId,
        Optional<String> retryKey,
        List<Identifier> identifiers,
        Optional<String> explicitTenant,
        boolean endsCall) {}
