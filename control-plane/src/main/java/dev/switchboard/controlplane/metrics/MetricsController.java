package dev.switchboard.controlplane.metrics;

import dev.switchboard.contract.MetricWindow;
import dev.switchboard.contract.WindowRules;
import dev.switchboard.controlplane.errors.FieldViolation;
import dev.switchboard.controlplane.errors.InvalidInput;
import dev.switchboard.controlplane.errors.NotPermitted;
import dev.switchboard.controlplane.security.Caller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Router metric intake, the v1/v2 comparison and the router list. */
@RestController
class MetricsController {

    private static final Pattern WINDOW = Pattern.compile("(\\d{1,6})([smhd])");

    /** The comparison as the API shows it: both variants, plus the window it covers. */
    record ComparisonView(String flag, String tenantId, String window, String from, String until, VariantStats v1,
                          VariantStats v2) {
    }

    private final MetricWindowStore store;
    private final StoredComparisons comparisons;
    private final RouterDirectory routers;
    private final MetricsClock clock;

    MetricsController(MetricWindowStore store, StoredComparisons comparisons, RouterDirectory routers,
                      MetricsClock clock) {
        this.store = store;
        this.comparisons = comparisons;
        this.routers = routers;
        this.clock = clock;
    }

    /**
     * One router window. The token must be bound to the router id the window declares (403 otherwise). The
     * window is checked by the contract's rules: a broken window, or one whose every series is broken, is a 400
     * naming the fields and stores nothing; otherwise the valid series are stored and the refused ones are
     * listed in the 202 answer, each with its reasons.
     */
    @PostMapping("/api/v1/router-metrics")
    Mono<ResponseEntity<Map<String, Object>>> push(@RequestBody MetricWindow push,
                                                   @AuthenticationPrincipal Caller caller) {
        if (push != null && push.routerId() != null && !caller.speaksFor(push.routerId())) {
            return Mono.error(new NotPermitted("this router token is bound to router "
                    + caller.routerId().orElse("(none)") + " and may not push windows of another router"));
        }
        List<String> flags = push == null || push.series() == null ? List.of() : push.series().stream()
                .filter(Objects::nonNull).map(MetricWindow.Series::flag).filter(Objects::nonNull).distinct()
                .limit(WindowRules.MAX_SERIES).toList();
        return store.existingFlags(flags).flatMap(known -> {
            WindowRules.Checked checked = WindowRules.check(push, clock.now(), known::contains);
            if (checked.nothingAccepted()) {
                return Mono.error(new InvalidInput(checked.all().stream()
                        .map(v -> new FieldViolation(v.field(), v.rule(), v.message())).toList(), Map.of()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("routerId", push.routerId());
            body.put("windowStart", push.windowStart());
            body.put("accepted", checked.accepted().size());
            body.put("refused", checked.refused());
            return store.store(push, checked.accepted(), clock.now())
                    .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED).body(body));
        });
    }

    @GetMapping("/api/v1/flags/{flag}/comparison")
    Mono<ComparisonView> comparison(@PathVariable String flag, @RequestParam Optional<String> window,
                                    @RequestParam Optional<String> tenant) {
        Duration span = parseWindow(window.orElse("5m"));
        Mono<Comparison> result = tenant.isPresent()
                ? comparisons.compareTenant(flag, tenant.get(), span)
                : comparisons.compare(flag, span);
        return result.map(c -> new ComparisonView(c.flag(), c.tenantId().orElse(null), window.orElse("5m"),
                c.until().minus(c.window()).toString(), c.until().toString(), c.v1(), c.v2()));
    }

    @GetMapping("/api/v1/routers")
    Flux<RouterView> routers() {
        return routers.routers();
    }

    static Duration parseWindow(String value) {
        Matcher m = WINDOW.matcher(value.trim());
        if (!m.matches()) {
            throw new InvalidInput("window", "duration", "must be a duration like 30s, 5m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofDays(8)) > 0) {
            throw new InvalidInput("window", "range", "must be between 1s and 8d (windows are kept 8 days)");
        }
        return d;
    }
}
