package dev.switchboard.router.signatures;

import java.util.Optional;

/** A secret that may have signed a webhook: the global one (no tenant) or a tenant's own. */
record Candidate(String secret, Optional<String> tenant) {}
