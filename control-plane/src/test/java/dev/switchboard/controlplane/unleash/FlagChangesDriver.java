package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Changes a flag through one control plane's admin API and asks it (batch explain) what every tenant gets,
 * so SDK decisions can be compared with the control plane's own.
 */
final class FlagChangesDriver {

    private final WebTestClient admin;
    private final String flag;

    FlagChangesDriver(WebTestClient admin, String flag) {
        this.admin = admin.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024)).build();
        this.flag = flag;
    }

    long percentage(int percentage) {
        return revision(admin.put().uri("/api/v1/flags/{f}/percentage", flag)
                .bodyValue(Map.of("percentage", percentage, "reason", "sdk agreement test")));
    }

    long allow(String tenant) {
        return revision(admin.put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant)
                .bodyValue(Map.of("mode", "allow", "reason", "sdk agreement test")));
    }

    long deny(String tenant) {
        return revision(admin.put().uri("/api/v1/flags/{f}/tenants/{t}", flag, tenant)
                .bodyValue(Map.of("mode", "deny", "reason", "sdk agreement test")));
    }

    long totalRollback() {
        return revision(admin.post().uri("/api/v1/flags/{f}/rollback", flag)
                .bodyValue(Map.of("level", "total", "reason", "sdk agreement test")));
    }

    long enable() {
        return revision(admin.post().uri("/api/v1/flags/{f}/enable", flag)
                .bodyValue(Map.of("reason", "sdk agreement test")));
    }

    /** The control plane's variant for each tenant, in order: true = v2. */
    @SuppressWarnings("unchecked")
    List<Boolean> explain(List<String> tenants) {
        List<Map<String, Object>> answers = admin.post().uri("/api/v1/flags/{f}/explain", flag)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("tenants", tenants))
                .exchange().expectStatus().isOk().expectBody(List.class).returnResult().getResponseBody();
        assertThat(answers).hasSize(tenants.size());
        return answers.stream().map(a -> {
            assertThat(a.get("variant")).isIn("v1", "v2");
            return "v2".equals(a.get("variant"));
        }).toList();
    }

    /** Asserts exact agreement between the SDK and explain for every tenant; returns how many are on v2. */
    long assertAgreement(List<String> tenants, Predicate<String> sdkOnV2) {
        List<Boolean> expected = explain(tenants);
        List<String> disagreements = IntStream.range(0, tenants.size())
                .filter(i -> sdkOnV2.test(tenants.get(i)) != expected.get(i))
                .mapToObj(tenants::get).limit(20).toList();
        assertThat(disagreements).as("tenants on which the SDK and the control plane disagree").isEmpty();
        return expected.stream().filter(Boolean::booleanValue).count();
    }

    private static long revision(WebTestClient.RequestHeadersSpec<?> request) {
        Map<?, ?> state = request.exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Number) state.get("revision")).longValue();
    }
}
