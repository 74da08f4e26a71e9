package dev.switchboard.controlplane.tenants;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.web.RequestIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import dev.switchboard.controlplane.web.StrictJson;
import tools.jackson.databind.json.JsonMapper;

/** The tenant registry: list, search, create, bulk import, and identifier lookup for routers. */
@RestController
@RequestMapping("/api/v1/tenants")
class TenantController {

    record TenantPage(List<Tenant> items, long total) {
    }

    record Identifiers(List<TenantIdentifier> items) {
    }

    record ImportReport(int imported, int identifiers) {
    }

    private final TenantStore store;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final JsonMapper json;

    TenantController(TenantStore store, AuditLog audit, TransactionalOperator tx, StrictJson.RequestJson requestJson) {
        this.store = store;
        this.audit = audit;
        this.tx = tx;
        this.json = requestJson.mapper();
    }

    @GetMapping
    Mono<TenantPage> list(@RequestParam Optional<String> q, @RequestParam Optional<String> limit,
                          @RequestParam Optional<String> offset) {
        int size = limit.map(v -> intParam("limit", v, 1, 1000)).orElse(100);
        int skip = offset.map(v -> intParam("offset", v, 0, Integer.MAX_VALUE)).orElse(0);
        return store.search(q, size, skip).collectList().zipWith(store.count(), TenantPage::new);
    }

    @GetMapping("/{id}")
    Mono<Tenant> get(@PathVariable String id) {
        return store.find(id).switchIfEmpty(Mono.error(() -> new NotFound("tenant", id)));
    }

    /** Every identifier → tenant mapping, for the routers' cache; ETag so an unchanged registry costs a 304. */
    @GetMapping("/identifiers")
    Mono<ResponseEntity<Identifiers>> identifiers(
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        return store.identifiersVersion().flatMap(version -> {
            String etag = "\"" + version + "\"";
            if (etag.equals(ifNoneMatch)) {
                return Mono.just(ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).<Identifiers>build());
            }
            return store.identifiers().collectList()
                    .map(items -> ResponseEntity.ok().eTag(etag).body(new Identifiers(items)));
        });
    }

    @GetMapping("/resolve")
    Mono<TenantIdentifier> resolve(@RequestParam String provider, @RequestParam String kind, @RequestParam String value) {
        return store.resolve(provider, kind, value)
                .switchIfEmpty(Mono.error(() -> new NotFound("identifier", provider + ":" + kind)));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Tenant>> create(@RequestBody String body, @AuthenticationPrincipal Caller caller,
                                        ServerWebExchange exchange) {
        String trimmed = body.trim();
        List<Tenant> tenants = TenantImport.parseJson(json, trimmed.startsWith("[") ? trimmed : "[" + trimmed + "]");
        if (tenants.size() != 1) {
            return Mono.error(new InvalidInput("body", "object", "must be one tenant object (use /import for many)"));
        }
        return save(tenants, caller, exchange, "tenant.created")
                .then(store.find(tenants.get(0).id()))
                .map(t -> ResponseEntity.status(HttpStatus.CREATED).body(t));
    }

    @PostMapping(value = "/import", consumes = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    Mono<ImportReport> importTenants(@RequestBody String body,
                                     @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                                     @AuthenticationPrincipal Caller caller, ServerWebExchange exchange) {
        List<Tenant> tenants = contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
                ? TenantImport.parseJson(json, body) : TenantImport.parseCsv(body);
        return save(tenants, caller, exchange, "tenants.imported")
                .thenReturn(new ImportReport(tenants.size(),
                        tenants.stream().mapToInt(t -> t.identifiers().size()).sum()));
    }

    /** All or nothing: identifiers already owned by other tenants are reported, nothing is written. */
    private Mono<Void> save(List<Tenant> tenants, Caller caller, ServerWebExchange exchange, String action) {
        List<TenantIdentifier> wanted = tenants.stream().flatMap(t -> t.identifiers().stream()
                .map(i -> new TenantIdentifier(i.provider(), i.kind(), i.value(), t.id()))).toList();
        Mono<Void> work = store.identifiersOwnedByOthers(wanted).collectList().flatMap(taken -> {
            if (!taken.isEmpty()) {
                List<FieldViolation> errors = taken.stream().limit(100).map(i -> new FieldViolation(
                        "identifiers", "unique", i.provider() + ":" + i.kind() + ":" + i.value()
                        + " already belongs to tenant " + i.tenantId())).toList();
                return Mono.error(new InvalidInput(errors, Map.of("badRows", taken.size())));
            }
            return store.upsertAll(tenants)
                    .then(audit.append(AuditEvent.of(caller, action, null,
                            tenants.size() == 1 ? tenants.get(0).id() : null, null,
                            Map.of("tenants", tenants.size()), "", RequestIds.of(exchange).orElse(null))))
                    .then();
        });
        return work.as(tx::transactional);
    }

    private static int intParam(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new InvalidInput(name, "range", "must be between " + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "integer", "must be an integer");
        }
    }
}
