package dev.switchboard.router.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.getunleash.engine.Context;
import io.getunleash.engine.FeatureCount;
import io.getunleash.engine.MetricsBucket;
import io.getunleash.engine.UnleashEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision memo against the SDK's own engine: same answers, same counts, nothing stale after a change. */
class TenantDecisionMemoTest {

    private static String state(boolean enabled, int percentage, String constraintField, String stickiness) {
        String constraints = constraintField == null ? "[]"
                : "[{\"contextName\":\"" + constraintField + "\",\"operator\":\"NOT_IN\",\"values\":[\"blocked\"],\"inverted\":false,\"caseInsensitive\":false}]";
        return """
                {"version":2,"features":[{"name":"voice_agent_v2","description":"rev=7","type":"release","project":"default",
                "enabled":%s,"stale":false,"impressionData":false,"strategies":[
                {"name":"flexibleRollout","parameters":{"rollout":"%d","stickiness":"%s","groupId":"voice_agent_v2"},
                "constraints":%s}],"variants":[]}]}""".formatted(enabled, percentage, stickiness, constraints);
    }

    private static Context tenant(String id) {
        Context context = new Context();
        context.setProperties(Map.of("tenantId", id));
        return context;
    }

    private static boolean decide(UnleashEngine engine, String tenant) throws Exception {
        return engine.isEnabled("voice_agent_v2", tenant(tenant)).value;
    }

    private static long[] counts(MetricsBucket bucket) {
        FeatureCount count = bucket == null ? null : bucket.getToggles().get("voice_agent_v2");
        return count == null ? new long[2] : new long[] {count.getYes(), count.getNo()};
    }

    @Test
    void answersAndCountsAreTheEnginesAndAChangeIsSeenByTheVeryNextDecision() throws Exception {
        UnleashEngine plain = new UnleashEngine(List.of(), null);
        TenantDecisionMemo memo = new TenantDecisionMemo();
        for (int episode = 1; episode <= 3; episode++) {
            String rollout = state(true, 50, "tenantId", "tenantId");
            plain.takeState(rollout);
            memo.takeState(rollout);
            assertThat(memo.remembering()).isTrue();
            int onV2 = 0;
            for (int round = 0; round < 3; round++) { // the first round fills the memo, the next ones are answered from it
                for (int t = 0; t < 200; t++) {
                    boolean expected = decide(plain, "tenant-" + t);
                    assertThat(decide(memo, "tenant-" + t)).as("episode %d tenant-%d", episode, t).isEqualTo(expected);
                    onV2 += expected ? 1 : 0;
                }
            }
            assertThat(onV2).as("a 50 %% rollout puts some tenants on each side").isBetween(150, 450);
            assertThat(counts(memo.getMetrics())).as("yes/no counts as the engine alone counts them")
                    .containsExactly(counts(plain.getMetrics()));

            // total rollback: not one decision from the remembered rollout after the engine took it
            String rollback = state(false, 50, "tenantId", "tenantId");
            plain.takeState(rollback);
            memo.takeState(rollback);
            for (int t = 0; t < 200; t++) {
                assertThat(decide(memo, "tenant-" + t)).as("after the rollback, tenant-%d", t).isFalse();
            }
            assertThat(counts(memo.getMetrics())).containsExactly(0, 200);
            plain.getMetrics();
        }
    }

    @Test
    void aStateThatDependsOnMoreThanTheTenantIsNeverRemembered() throws Exception {
        assertThat(TenantDecisionMemo.decidesByTenantOnly(state(true, 50, "tenantId", "tenantId"))).isTrue();
        assertThat(TenantDecisionMemo.decidesByTenantOnly(state(true, 50, null, "tenantId"))).isTrue();
        assertThat(TenantDecisionMemo.decidesByTenantOnly(state(true, 50, "environment", "tenantId"))).isFalse();
        assertThat(TenantDecisionMemo.decidesByTenantOnly(state(true, 50, "tenantId", "random"))).isFalse();
        assertThat(TenantDecisionMemo.decidesByTenantOnly(state(true, 50, "tenantId", "default"))).isFalse();
        assertThat(TenantDecisionMemo.decidesByTenantOnly("{\"version\":2,\"features\":[],\"segments\":[{\"id\":1}]}")).isFalse();
        assertThat(TenantDecisionMemo.decidesByTenantOnly("not json")).isFalse();

        // random stickiness: the engine may answer differently each time, and so must the memo
        TenantDecisionMemo memo = new TenantDecisionMemo();
        memo.takeState(state(true, 50, "tenantId", "random"));
        assertThat(memo.remembering()).isFalse();
        int yes = 0;
        for (int i = 0; i < 400; i++) {
            yes += decide(memo, "same-tenant") ? 1 : 0;
        }
        assertThat(yes).as("random stickiness is evaluated every time").isBetween(100, 300);
    }

    @Test
    void theEnginesWholeStateIsJudgedInItsOwnForm() throws Exception {
        TenantDecisionMemo memo = new TenantDecisionMemo();
        memo.takeState(state(true, 100, "tenantId", "tenantId"));
        assertThat(memo.getState()).as("the engine's own form").startsWith("{\"status_code\":\"Ok\"");
        assertThat(memo.remembering()).isTrue();
        assertThat(decide(memo, "a")).isTrue();

        // a delta of one feature (as the stream sends it): the memo is judged on the whole state that results
        memo.takeState("""
                {"events":[{"type":"feature-updated","eventId":2,"feature":{"name":"other_flag","type":"release",
                "enabled":true,"stale":false,"impressionData":false,"project":"default","strategies":[
                {"name":"flexibleRollout","parameters":{"rollout":"50","stickiness":"random","groupId":"other_flag"},
                "constraints":[]}],"variants":[]}}]}""");
        assertThat(memo.getState()).contains("other_flag").contains("voice_agent_v2");
        assertThat(memo.remembering()).isFalse();
        assertThat(decide(memo, "a")).isTrue();
    }
}
