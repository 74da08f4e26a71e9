package dev.switchboard.router.decision;

import io.getunleash.engine.Context;
import io.getunleash.engine.FeatureCount;
import io.getunleash.engine.FlatResponse;
import io.getunleash.engine.MetricsBucket;
import io.getunleash.engine.UnleashEngine;
import io.getunleash.engine.YggdrasilInvalidInputException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SDK's engine, remembering its answer per flag and tenant while it holds one state, when that state decides
 * by tenant alone. The control plane's flags do: a {@code flexibleRollout} with {@code tenantId} stickiness and
 * constraints on {@code tenantId} only. For such a state the engine's answer is a function of the flag and the
 * tenant, and asking the native engine again (a message built in a fresh direct buffer, a native call, the buffer
 * freed by the reference handler later) is most of a decision's cost.
 *
 * <p>Exact by construction:
 * <ul>
 * <li>a state with anything else (another strategy or stickiness, a constraint on another field, segments,
 * dependencies, strategy variants) is not remembered at all: every decision goes to the engine;</li>
 * <li>the memo is off while the engine takes a new state and replaced after it took it, and an answer computed for
 * a memo is stored only in that memo, so no decision begun after the switch began comes from the previous state;</li>
 * <li>the SDK's yes/no counts stay whole: answers given from the memo are counted here and added to the engine's
 * metrics bucket when the SDK collects it.</li>
 * </ul>
 * The memo holds at most {@value #MAX_ENTRIES} answers per state; beyond that the engine answers.
 */
final class TenantDecisionMemo extends UnleashEngine {

    static final int MAX_ENTRIES = 10_000;
    static final String TENANT = "tenantId";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Memo OFF = new Memo(false, new ConcurrentHashMap<>());

    private record Memo(boolean on, ConcurrentHashMap<String, FlatResponse<Boolean>> answers) {}

    private volatile Memo memo = OFF;
    /** Per flag: answers given from the memo since the SDK last collected metrics, [0] yes, [1] no. */
    private final ConcurrentHashMap<String, LongAdder[]> remembered = new ConcurrentHashMap<>();
    private volatile Instant countedSince = Instant.now();

    TenantDecisionMemo() {
        super(List.of(), null);
    }

    @Override
    public void takeState(String state) throws YggdrasilInvalidInputException {
        // off while the engine switches: a decision during the switch goes to the engine, never to the old answers
        memo = OFF;
        try {
            super.takeState(state);
        } finally {
            // judged on the engine's whole state (what was taken may be a delta of one feature, or refused)
            memo = new Memo(decidesByTenantOnly(getState()), new ConcurrentHashMap<>());
        }
    }

    /** Whether answers for the state the engine holds are remembered. */
    boolean remembering() {
        return memo.on();
    }

    @Override
    public FlatResponse<Boolean> isEnabled(String flag, Context context) throws YggdrasilInvalidInputException {
        Memo current = memo;
        String tenant = current.on() && flag != null && context != null && context.getProperties() != null
                ? context.getProperties().get(TENANT) : null;
        if (tenant == null) {
            return super.isEnabled(flag, context);
        }
        String key = flag + '\u0000' + tenant;
        FlatResponse<Boolean> answer = current.answers().get(key);
        if (answer == null) {
            answer = super.isEnabled(flag, context);
            if (current.answers().size() < MAX_ENTRIES) {
                current.answers().put(key, answer);
            }
            return answer;
        }
        remembered.computeIfAbsent(flag, f -> new LongAdder[] {new LongAdder(), new LongAdder()})
                [Boolean.TRUE.equals(answer.value) ? 0 : 1].increment();
        // a fresh response each time: the SDK's caller may read it after another decision was made
        return new FlatResponse<>(answer.impressionData, answer.value);
    }

    @Override
    public MetricsBucket getMetrics() {
        MetricsBucket engine = super.getMetrics();
        Instant now = Instant.now();
        Instant since = countedSince;
        countedSince = now;
        Map<String, long[]> fromMemo = new HashMap<>();
        remembered.forEach((flag, counts) -> {
            long yes = counts[0].sumThenReset();
            long no = counts[1].sumThenReset();
            if (yes + no > 0) {
                fromMemo.put(flag, new long[] {yes, no});
            }
        });
        if (fromMemo.isEmpty()) {
            return engine;
        }
        Map<String, FeatureCount> toggles = new HashMap<>();
        if (engine != null && engine.getToggles() != null) {
            toggles.putAll(engine.getToggles());
        }
        fromMemo.forEach((flag, counts) -> {
            FeatureCount before = toggles.get(flag);
            long yes = counts[0] + (before == null || before.getYes() == null ? 0 : before.getYes());
            long no = counts[1] + (before == null || before.getNo() == null ? 0 : before.getNo());
            toggles.put(flag, new FeatureCount(yes, no, before == null || before.getVariants() == null
                    ? Map.of() : before.getVariants()));
        });
        return new MetricsBucket(engine == null ? since : engine.getStart(), engine == null ? now : engine.getStop(), toggles);
    }

    /** Whether every feature of a client-features state decides by the tenant alone (see the class comment). */
    static boolean decidesByTenantOnly(String state) {
        JsonNode root;
        try {
            root = JSON.readTree(state);
        } catch (RuntimeException e) {
            return false;
        }
        if (root != null && root.has("status_code")) { // the engine's own form: {"status_code":"Ok","value":{...}}
            root = "Ok".equals(root.path("status_code").asString("")) ? root.path("value") : null;
        }
        if (root == null || !root.path("features").isArray() || root.path("segments").size() > 0) {
            return false;
        }
        for (JsonNode feature : root.path("features")) {
            if (feature.path("dependencies").size() > 0) {
                return false;
            }
            for (JsonNode strategy : feature.path("strategies")) {
                if (!"flexibleRollout".equals(strategy.path("name").asString(""))
                        || !TENANT.equals(strategy.path("parameters").path("stickiness").asString(""))
                        || strategy.path("segments").size() > 0
                        || strategy.path("variants").size() > 0) {
                    return false;
                }
                for (JsonNode constraint : strategy.path("constraints")) {
                    if (!TENANT.equals(constraint.path("contextName").asString(""))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
