package dev.switchboard.controlplane.dashboard;

import dev.switchboard.controlplane.alerts.AlertBoard;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotFound;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.errors.Refused;
import dev.switchboard.controlplane.errors.StaleRevision;
import dev.switchboard.controlplane.flags.ChangeContext;
import dev.switchboard.controlplane.flags.ChangeOutcome;
import dev.switchboard.controlplane.flags.FlagChanges;
import dev.switchboard.controlplane.flags.FlagCommand;
import dev.switchboard.controlplane.flags.FlagState;
import dev.switchboard.controlplane.flags.OverrideMode;
import dev.switchboard.controlplane.security.Caller;
import dev.switchboard.controlplane.security.Role;
import dev.switchboard.controlplane.tenants.TenantStore;
import dev.switchboard.controlplane.web.RequestIds;
import dev.switchboard.controlplane.stages.Criterion;
import dev.switchboard.controlplane.stages.StageAdvance;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The dashboard's actions. Each one maps the person to a {@link Caller} and goes through the same services as
 * the API ({@link FlagChanges} checks the role, the page's revision, writes the audit row), so nothing here can
 * do what the API would refuse. Every action needs a reason. The answer is the action panel again, with the
 * outcome in words: done, refused, or a conflict showing the current state when the page was stale.
 */
@Controller
class DashboardActions {

    static final int MAX_REASON = 500;

    private final FlagChanges changes;
    private final DashboardData data;
    private final TenantStore tenants;
    private final StageAdvance stages;

    DashboardActions(FlagChanges changes, DashboardData data, TenantStore tenants, StageAdvance stages) {
        this.changes = changes;
        this.stages = stages;
        this.data = data;
        this.tenants = tenants;
    }

    /** The outcome of an action as the panel shows it. {@code kind} is ok, conflict or error. */
    record Outcome(String kind, String title, String detail, List<String> items) {
        Outcome(String kind, String title, String detail) {
            this(kind, title, detail, List.of());
        }
    }

    @PostMapping("/dashboard/flags/{flag}/percentage")
    Mono<Rendering> percentage(@PathVariable String flag, Authentication who, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            Caller caller = DashboardUser.caller(who);
            String op = value(form, "op");
            int shown = integer(form, "shown", "the page's percentage");
            int target = switch (op) {
                case "plus10" -> Math.min(100, shown + 10);
                case "plus25" -> Math.min(100, shown + 25);
                case "set" -> integer(form, "percentage", "percentage");
                default -> throw new InvalidInput("op", "one-of", "must be plus10, plus25 or set");
            };
            if (target < 0 || target > 100) {
                throw new InvalidInput("percentage", "range", "must be between 0 and 100");
            }
            ChangeContext context = context(caller, form, exchange);
            Mono<Void> goCheck = target <= shown ? Mono.empty() : data.goFailing(flag).flatMap(failing ->
                    failing.isEmpty() ? Mono.<Void>empty()
                            : Mono.error(new Refused("raising the rollout is refused: v2 fails the go criteria: "
                            + String.join("; ", failing), Map.of())));
            return goCheck.then(changes.apply(flag, new FlagCommand.SetPercentage(target), context))
                    .map(outcome -> done(outcome, "Rollout set to " + outcome.flag().percentage() + "%"));
        }).onErrorResume(e -> failed(flag, e)).flatMap(o -> panel(flag, o, exchange));
    }

    /**
     * Advance to the plan's next stage through the guard's {@link StageAdvance} (the service behind
     * {@code POST /api/v1/flags/{flag}/advance}): it checks the go criteria and refuses with each of them. The
     * page's revision is checked first, so an advance from a stale page shows the conflict instead.
     */
    @PostMapping("/dashboard/flags/{flag}/advance")
    Mono<Rendering> advance(@PathVariable String flag, Authentication who, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            ChangeContext context = context(DashboardUser.caller(who), form, exchange);
            long shown = context.expectedRevision().orElseThrow();
            return data.flag(flag).flatMap(now -> now.revision() != shown
                    ? Mono.error(new StaleRevision(shown, now.revision(), now))
                    : stages.advance(flag, context.reason(), false, context.caller(), context.requestId()))
                    .map(a -> new Outcome("ok", "Advanced from " + a.from() + " to " + a.to() + " (" + a.percentage() + "%)",
                            "now revision " + a.state().revision() + "; every go criterion held",
                            a.criteria().stream().map(DashboardActions::criterion).toList()));
        }).onErrorResume(e -> failed(flag, e)).flatMap(o -> panel(flag, o, exchange));
    }

    private static String criterion(Criterion c) {
        return Overview.CriterionLine.of(c).text() + ": " + (c.passed() ? "pass" : "FAIL");
    }

    /** Everyone back to v1 by percentage: lowers to 0% (allow-listed tenants stay on v2; they are listed). */
    @PostMapping("/dashboard/flags/{flag}/rollback")
    Mono<Rendering> rollback(@PathVariable String flag, Authentication who, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            if (!flag.equals(value(form, "confirm").trim())) {
                throw new InvalidInput("confirm", "matches", "type the flag name (" + flag + ") to confirm the rollback");
            }
            ChangeContext context = context(DashboardUser.caller(who), form, exchange);
            return changes.apply(flag, new FlagCommand.PartialRollback(0), context)
                    .map(outcome -> done(outcome, "Rolled back to 0%"));
        }).onErrorResume(e -> failed(flag, e)).flatMap(o -> panel(flag, o, exchange));
    }

    @PostMapping("/dashboard/flags/{flag}/tenants/{tenant}/rollback")
    Mono<Rendering> tenantRollback(@PathVariable String flag, @PathVariable String tenant, Authentication who,
                                   ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            ChangeContext context = context(DashboardUser.caller(who), form, exchange);
            return tenants.exists(tenant).flatMap(exists -> exists ? changes.apply(flag,
                            new FlagCommand.SetOverride(tenant, Optional.of(OverrideMode.DENY), "rollback.tenant"), context)
                            : Mono.error(new NotFound("tenant", tenant)))
                    .map(outcome -> done(outcome, "Tenant " + tenant + " rolled back to v1 (deny list)"));
        }).onErrorResume(e -> failed(flag, e)).map(o -> message(o, exchange));
    }

    @PostMapping("/dashboard/alerts/{id}/ack")
    Mono<Rendering> acknowledge(@PathVariable long id, Authentication who, ServerWebExchange exchange) {
        Caller caller = DashboardUser.caller(who);
        Optional<AlertBoard> board = data.alertBoard();
        Mono<Outcome> ack;
        if (!caller.atLeast(Role.OPERATOR)) {
            ack = Mono.error(new NotPermitted("acknowledging an alert needs the operator role"));
        } else if (board.isEmpty()) {
            ack = Mono.error(new Refused("alerts are not installed yet", Map.of()));
        } else {
            ack = board.get().acknowledge(id, caller, RequestIds.of(exchange).orElse(null))
                    .map(a -> new Outcome("ok", "Alert " + id + " acknowledged", a.explanation()));
        }
        return ack.onErrorResume(e -> failed("", e)).map(o -> message(o, exchange));
    }

    private ChangeContext context(Caller caller, MultiValueMap<String, String> form, ServerWebExchange exchange) {
        String reason = value(form, "reason").trim();
        if (reason.isEmpty()) {
            throw new InvalidInput("reason", "required", "every action needs a reason");
        }
        if (reason.length() > MAX_REASON) {
            throw new InvalidInput("reason", "max-length", "must be at most " + MAX_REASON + " characters");
        }
        long revision = integer(form, "revision", "revision");
        return new ChangeContext(caller, reason, Optional.of(revision), RequestIds.of(exchange));
    }

    private static Outcome done(ChangeOutcome outcome, String title) {
        FlagState f = outcome.flag();
        return outcome.changed()
                ? new Outcome("ok", title, "now revision " + f.revision() + ", " + f.percentage() + "%, stage " + f.stage())
                : new Outcome("ok", "Nothing to change", "the flag already was in that state (revision " + f.revision() + ")");
    }

    /** Domain errors become an outcome in words; anything else stays an error for the global handler. */
    private static Mono<Outcome> failed(String flag, Throwable e) {
        if (e instanceof StaleRevision stale && stale.current() instanceof FlagState now) {
            return Mono.just(new Outcome("conflict", "Not changed: someone else changed the flag first",
                    "you acted on revision " + stale.expected() + "; it is now revision " + now.revision() + " ("
                            + now.percentage() + "%, " + (now.enabled() ? "on" : "switched off") + ", last change by "
                            + now.updatedBy() + "). The panel below shows the current state; decide again."));
        }
        if (e instanceof Refused refused && refused.extra().get("criteria") instanceof List<?> criteria
                && !criteria.isEmpty()) {
            // the guard's refusal of an advance: list the criteria that fail, each with value and threshold
            List<String> failing = criteria.stream().filter(Criterion.class::isInstance).map(Criterion.class::cast)
                    .filter(c -> !c.passed()).map(DashboardActions::criterion).toList();
            return Mono.just(new Outcome("refused", "Not advanced: the go criteria do not hold", e.getMessage(), failing));
        }
        if (e instanceof NotPermitted || e instanceof InvalidInput || e instanceof Refused || e instanceof NotFound) {
            String kind = e instanceof NotPermitted ? "forbidden" : e instanceof Refused ? "refused" : "invalid";
            return Mono.just(new Outcome(kind, "Not changed", e.getMessage()));
        }
        return Mono.error(e);
    }

    private Mono<Rendering> panel(String flag, Outcome outcome, ServerWebExchange exchange) {
        status(outcome, exchange);
        return data.overview(flag).map(o -> Rendering.view(DashboardSecurityConfig.isHtmx(exchange)
                        ? "dashboard/overview :: actions" : "dashboard/overview")
                .modelAttribute("o", o).modelAttribute("outcome", outcome).build());
    }

    private static Rendering message(Outcome outcome, ServerWebExchange exchange) {
        status(outcome, exchange);
        return Rendering.view("dashboard/parts :: outcome").modelAttribute("outcome", outcome).build();
    }

    /** Real status codes (the page's htmx settings swap 4xx outcomes in too) and a nudge to refresh the panels. */
    private static void status(Outcome outcome, ServerWebExchange exchange) {
        HttpStatus status = switch (outcome.kind()) {
            case "conflict", "refused" -> HttpStatus.CONFLICT;
            case "forbidden" -> HttpStatus.FORBIDDEN;
            case "invalid" -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.OK;
        };
        exchange.getResponse().setStatusCode(status);
        exchange.getResponse().getHeaders().set("HX-Trigger", "flag-changed");
    }

    private static String value(MultiValueMap<String, String> form, String name) {
        String v = form.getFirst(name);
        return v == null ? "" : v;
    }

    private static int integer(MultiValueMap<String, String> form, String name, String what) {
        try {
            return Integer.parseInt(value(form, name).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(name, "integer", what + " must be a whole number");
        }
    }
}
