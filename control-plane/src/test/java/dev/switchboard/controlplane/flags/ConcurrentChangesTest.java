package dev.switchboard.controlplane.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/** Two release managers and a guard act at once: no lost update, ever. */
class ConcurrentChangesTest extends ControlPlaneTest {

    private WebClient client(String token) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader("Authorization", "Bearer " + token).build();
    }

    @Test
    void hundredConcurrentDeniesOfDifferentTenantsAllLand() {
        String flag = createFlag(true);
        List<String> tenants = IntStream.range(0, 100).mapToObj(i -> unique("deny" + i)).toList();
        registerTenants(tenants);
        WebClient operator = client(operatorToken);

        List<Integer> statuses = Flux.fromIterable(tenants)
                .flatMap(t -> operator.put().uri("/api/v1/flags/{f}/tenants/{t}", flag, t)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("mode", "deny", "reason", "load"))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 100)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(100).containsOnly(200);

        FlagState state = viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectStatus().isOk()
                .expectBody(FlagState.class).returnResult().getResponseBody();
        assertThat(state.denyTenants()).containsExactlyInAnyOrderElementsOf(tenants);
        assertThat(state.revision()).isEqualTo(2 + 100);
    }

    @Test
    void fiftyConcurrentUpdatesWithTheSameStaleRevisionExactlyOneWins() {
        String flag = createFlag(true);
        long seen = viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody(FlagState.class)
                .returnResult().getResponseBody().revision();
        WebClient operator = client(operatorToken);

        List<Integer> statuses = Flux.range(1, 50)
                .flatMap(i -> operator.put().uri("/api/v1/flags/{f}/percentage", flag)
                        .header("If-Match", "\"" + seen + "\"").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("percentage", 1 + (i % 10), "reason", "race " + i))
                        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 50)
                .collectList().block(Duration.ofSeconds(60));

        assertThat(statuses).hasSize(50);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(49);
        FlagState state = viewer().get().uri("/api/v1/flags/{f}", flag).exchange().expectBody(FlagState.class)
                .returnResult().getResponseBody();
        assertThat(state.revision()).isEqualTo(seen + 1);
    }

    @Test
    void aStaleRevisionGets409WithTheCurrentState() {
        String flag = createFlag(true);
        operator().put().uri("/api/v1/flags/{f}/percentage", flag).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("percentage", 5, "reason", "stale"))
                .exchange().expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.current.revision").isEqualTo(2)
                .jsonPath("$.current.enabled").isEqualTo(true)
                .jsonPath("$.expectedRevision").isEqualTo(1);
    }
}
