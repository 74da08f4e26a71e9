package dev.switchboard.controlplane.security;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.web.RequestIds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import dev.switchboard.contract.Identifiers;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Create, list and revoke API tokens (admin). The token is shown once, in the creation answer. */
@RestController
@RequestMapping("/api/v1/tokens")
class TokenController {

    /** @param routerId for a router token (required then, refused otherwise): the one router it may speak for */
    record CreateToken(@NotBlank @Size(max = 100) String name,
                       @NotBlank @Pattern(regexp = "viewer|operator|admin|client|router",
                               message = "must be one of viewer, operator, admin, client, router") String role,
                       String routerId) {
    }

    record CreatedToken(long id, String name, String role, String routerId, String token) {
    }

    private final ApiTokenStore store;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    TokenController(ApiTokenStore store, AuditLog audit, TransactionalOperator tx) {
        this.store = store;
        this.audit = audit;
        this.tx = tx;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CreatedToken> create(@Valid @RequestBody CreateToken request, @AuthenticationPrincipal Caller caller,
                              ServerWebExchange exchange) {
        Role role = Role.fromWire(request.role());
        Optional<String> routerId = Optional.ofNullable(request.routerId());
        if (role == Role.ROUTER && routerId.isEmpty()) {
            return Mono.error(new InvalidInput("routerId", "required", "is required for a router token: the router "
                    + "id it may speak for"));
        }
        if (role == Role.ROUTER && !Identifiers.validRouterId(routerId.get())) {
            return Mono.error(new InvalidInput("routerId", "pattern", "must be " + Identifiers.ROUTER_ID_RULE));
        }
        if (role != Role.ROUTER && routerId.isPresent()) {
            return Mono.error(new InvalidInput("routerId", "router-only", "may only be given for a router token"));
        }
        // SecureRandom may read /dev/urandom: generate off the event loop
        return Mono.fromCallable(TokenHashes::newToken).subscribeOn(Schedulers.boundedElastic())
                .flatMap(token -> store.insert(request.name(), role, routerId, TokenHashes.sha256(token), caller.name())
                        .flatMap(id -> audit.append(AuditEvent.of(caller, "token.created", null, null,
                                        null, auditDetails(id, request.name(), role, routerId),
                                        "", RequestIds.of(exchange).orElse(null)))
                                .thenReturn(new CreatedToken(id, request.name(), role.wireName(),
                                        routerId.orElse(null), token)))
                        .as(tx::transactional));
    }

    private static Map<String, Object> auditDetails(long id, String name, Role role, Optional<String> routerId) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("id", id);
        details.put("name", name);
        details.put("role", role.wireName());
        routerId.ifPresent(r -> details.put("routerId", r));
        return details;
    }

    @GetMapping
    Flux<ApiTokenStore.TokenRow> list() {
        return store.list();
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> revoke(@PathVariable String id, @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Mono.error(new InvalidInput("id", "integer", "must be a token id (an integer)"));
        }
        return store.exists(tokenId)
                .flatMap(exists -> exists ? store.revoke(tokenId) : Mono.error(new NotFound("token", id)))
                .flatMap(revoked -> revoked
                        ? audit.append(AuditEvent.of(caller, "token.revoked", null, null, null,
                        Map.of("id", tokenId), "", RequestIds.of(exchange).orElse(null)))
                        : Mono.empty())
                .as(tx::transactional)
                .then();
    }
}
