package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.audit.AuditEvent;
import dev.switchboard.controlplane.audit.AuditLog;
import dev.switchboard.controlplane.audit.AuditQuery;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import reactor.core.publisher.Mono;

/** The dashboard's pages and the live panels they poll. Read-only: actions are in {@link DashboardActions}. */
@Controller
class DashboardPages {

    static final int AUDIT_PAGE = 50;

    private final DashboardData data;
    private final AuditLog audit;

    DashboardPages(DashboardData data, AuditLog audit) {
        this.data = data;
        this.audit = audit;
    }

    /** The login form, saying why it is shown again: a wrong password ({@code ?error}) or a logout. */
    @GetMapping("/login")
    Rendering login(org.springframework.web.server.ServerWebExchange exchange) {
        var query = exchange.getRequest().getQueryParams();
        return Rendering.view("dashboard/login").modelAttribute("wrongPassword", query.containsKey("error"))
                .modelAttribute("loggedOut", query.containsKey("logout")).build();
    }

    @GetMapping({"/", "/dashboard"})
    Mono<Rendering> flags() {
        return data.allFlags().map(flags -> Rendering.view("dashboard/flags").modelAttribute("flags", flags).build());
    }

    @GetMapping("/dashboard/flags/{flag}")
    Mono<Rendering> overview(@PathVariable String flag) {
        return data.overview(flag).map(o -> Rendering.view("dashboard/overview").modelAttribute("o", o).build());
    }

    /** The polled part of the overview: metrics in place, the progress bar out of band. */
    @GetMapping("/dashboard/flags/{flag}/panels")
    Mono<Rendering> panels(@PathVariable String flag) {
        return data.overview(flag).map(o -> Rendering.view("dashboard/panels").modelAttribute("o", o).build());
    }

    @GetMapping("/dashboard/flags/{flag}/tenants")
    Mono<Rendering> tenants(@PathVariable String flag, @RequestParam Optional<String> q) {
        String query = q.map(String::trim).orElse("");
        return data.flag(flag).flatMap(state -> (query.isEmpty() ? Mono.just(List.<DashboardData.TenantRow>of())
                        : data.explore(state, query))
                .map(rows -> Rendering.view("dashboard/tenants").modelAttribute("flag", state)
                        .modelAttribute("q", query).modelAttribute("rows", rows)
                        .modelAttribute("searched", !query.isEmpty()).build()));
    }

    @GetMapping("/dashboard/flags/{flag}/routers")
    Mono<Rendering> routers(@PathVariable String flag) {
        return data.flag(flag).flatMap(state -> data.routerSummary(state).zipWith(data.sdkInstances(state),
                (summary, sdks) -> Rendering.view("dashboard/routers").modelAttribute("flag", state)
                        .modelAttribute("routers", summary).modelAttribute("sdks", sdks).build()));
    }

    @GetMapping("/dashboard/audit")
    Mono<Rendering> audit(@RequestParam Optional<String> flag, @RequestParam Optional<String> tenant,
                          @RequestParam Optional<String> actor, @RequestParam Optional<String> since,
                          @RequestParam Optional<String> until, @RequestParam Optional<Long> before) {
        List<String> problems = new ArrayList<>();
        Optional<OffsetDateTime> from = time("since", since, problems);
        Optional<OffsetDateTime> to = time("until", until, problems);
        AuditFilter filter = new AuditFilter(blank(flag), blank(tenant), blank(actor), since.orElse(""),
                until.orElse(""));
        if (!problems.isEmpty()) {
            return Mono.just(auditPage(filter, List.of(), Optional.empty(), problems));
        }
        AuditQuery query = new AuditQuery(filter.flagValue(), filter.tenantValue(), filter.actorValue(),
                Optional.empty(), from, to, before, AUDIT_PAGE + 1);
        return audit.find(query).collectList().map(events -> {
            Optional<Long> older = events.size() > AUDIT_PAGE ? Optional.of(events.get(AUDIT_PAGE - 1).id())
                    : Optional.empty();
            List<AuditEvent> page = events.size() > AUDIT_PAGE ? events.subList(0, AUDIT_PAGE) : events;
            return auditPage(filter, page, older, problems);
        });
    }

    private static Rendering auditPage(AuditFilter filter, List<AuditEvent> events, Optional<Long> older,
                                       List<String> problems) {
        return Rendering.view("dashboard/audit").modelAttribute("filter", filter)
                .modelAttribute("events", events.stream().map(AuditRow::of).toList())
                .modelAttribute("older", older.orElse(null)).modelAttribute("problems", problems).build();
    }

    /** The filter as typed, echoed back into the form and into the paging link. */
    record AuditFilter(String flag, String tenant, String actor, String since, String until) {
        Optional<String> flagValue() {
            return Optional.of(flag).filter(s -> !s.isEmpty());
        }

        Optional<String> tenantValue() {
            return Optional.of(tenant).filter(s -> !s.isEmpty());
        }

        Optional<String> actorValue() {
            return Optional.of(actor).filter(s -> !s.isEmpty());
        }
    }

    private static String blank(Optional<String> value) {
        return value.map(String::trim).orElse("");
    }

    /** Times come from datetime-local inputs and are read as UTC (the page shows UTC everywhere). */
    private static Optional<OffsetDateTime> time(String field, Optional<String> value, List<String> problems) {
        String v = value.map(String::trim).orElse("");
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(v).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(v));
            } catch (DateTimeParseException e2) {
                problems.add(field + ": must be a date and time like 2026-05-01T14:30 (UTC)");
                return Optional.empty();
            }
        }
    }
}
