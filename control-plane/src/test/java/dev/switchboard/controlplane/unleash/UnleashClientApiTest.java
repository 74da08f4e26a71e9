package dev.switchboard.controlplane.unleash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controlplane.ControlPlaneTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The Unleash client API over HTTP: the features document, ETags, tokens, registration and metrics. */
class UnleashClientApiTest extends ControlPlaneTest {

    /** As SDKs send it: the raw token, no "Bearer". */
    private WebTestClient sdk() {
        return web.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, CLIENT_TOKEN)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    @Test
    void eachFlagIsServedInTheArchitecturesUnleashForm() {
        String flag = createFlag(true);
        String allowed = registerTenant();
        String denied = registerTenant();
        FlagChangesDriver driver = new FlagChangesDriver(admin(), flag);
        driver.percentage(25);
        driver.allow(allowed);
        long revision = driver.deny(denied);

        Map<String, Object> feature = feature(flag);

        Map<String, Object> notDenied = Map.of("contextName", "tenantId", "operator", "NOT_IN",
                "values", List.of(denied), "inverted", false, "caseInsensitive", false);
        assertThat(feature).isEqualTo(Map.of(
                "name", flag, "type", "release", "description", "rev=" + revision + " test", "project", "default", "enabled", true,
                "stale", false, "impressionData", false, "variants", List.of(), "revision", (int) revision,
                "strategies", List.of(
                        Map.of("name", "flexibleRollout", "sortOrder", 0, "segments", List.of(), "variants", List.of(),
                                "parameters", Map.of("rollout", "100", "stickiness", "tenantId", "groupId", flag),
                                "constraints", List.of(Map.of("contextName", "tenantId", "operator", "IN",
                                        "values", List.of(allowed), "inverted", false, "caseInsensitive", false),
                                        notDenied)),
                        Map.of("name", "flexibleRollout", "sortOrder", 1, "segments", List.of(), "variants", List.of(),
                                "parameters", Map.of("rollout", "25", "stickiness", "tenantId", "groupId", flag),
                                "constraints", List.of(notDenied)))));
    }

    @Test
    void withoutOverridesThereIsOneUnconstrainedStrategyAndATotalRollbackDisablesTheFeature() {
        String flag = createFlag(true);
        FlagChangesDriver driver = new FlagChangesDriver(admin(), flag);
        driver.percentage(10);
        Map<String, Object> feature = feature(flag);
        assertThat(feature.get("enabled")).isEqualTo(true);
        assertThat(feature.get("strategies")).isEqualTo(List.of(Map.of("name", "flexibleRollout", "sortOrder", 0,
                "segments", List.of(), "variants", List.of(), "constraints", List.of(),
                "parameters", Map.of("rollout", "10", "stickiness", "tenantId", "groupId", flag))));

        driver.totalRollback();
        assertThat(feature(flag).get("enabled")).isEqualTo(false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentIsVersionTwoWithMetaCarryingTheHighestRevisionAndTheEtag() {
        createFlag(true);
        var result = sdk().get().uri("/api/client/features").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult();
        Map<String, Object> body = result.getResponseBody();
        String etag = result.getResponseHeaders().getETag();
        assertThat(body.get("version")).isEqualTo(2);
        assertThat(body.get("segments")).isEqualTo(List.of());
        List<Map<String, Object>> features = (List<Map<String, Object>>) body.get("features");
        long highest = features.stream().mapToLong(f -> ((Number) f.get("revision")).longValue()).max().orElseThrow();
        Map<String, Object> meta = (Map<String, Object>) body.get("meta");
        assertThat(((Number) meta.get("revisionId")).longValue()).isEqualTo(highest);
        assertThat(meta.get("etag")).isEqualTo(etag);
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagIsA304WithNoBodyAndAnyChangeMakesANewEtag() {
        String flag = createFlag(true);
        String etag = etag();
        sdk().get().uri("/api/client/features").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isNotModified().expectHeader().valueEquals(HttpHeaders.ETAG, etag)
                .expectBody().isEmpty();
        sdk().get().uri("/api/client/features").header(HttpHeaders.IF_NONE_MATCH, "\"other\", W/" + etag).exchange()
                .expectStatus().isNotModified();

        new FlagChangesDriver(admin(), flag).percentage(5);
        String changed = etag();
        assertThat(changed).isNotEqualTo(etag);
        sdk().get().uri("/api/client/features").header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, changed);
    }

    @Test
    void theEtagIsTheSameForTheSameStateAndFollowsTheNamePrefix() {
        String flag = createFlag(true);
        createFlag(true); // so that the prefix leaves something out
        assertThat(etag()).isEqualTo(etag());
        String prefixed = sdk().get().uri("/api/client/features?namePrefix={p}", flag).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseHeaders().getETag();
        assertThat(prefixed).isNotEqualTo(etag());
        Map<?, ?> only = sdk().get().uri("/api/client/features?namePrefix={p}", flag).exchange()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) only.get("features")).hasSize(1);
    }

    @Test
    void aMissingOrWrongTokenIs401AndAPersonsTokenIs403() {
        for (String path : List.of("/api/client/features", "/api/client/streaming")) {
            web.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            web.get().uri(path).header(HttpHeaders.AUTHORIZATION, "not-the-token").exchange()
                    .expectStatus().isUnauthorized();
            web.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer not-the-token").exchange()
                    .expectStatus().isUnauthorized();
            admin().get().uri(path).exchange().expectStatus().isForbidden();
        }
        web.post().uri("/api/client/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(registration("app", "i-1")).exchange().expectStatus().isUnauthorized();
        web.post().uri("/api/client/metrics").header(HttpHeaders.AUTHORIZATION, "wrong")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isUnauthorized();
        // the Bearer form works too
        web.get().uri("/api/client/features").header(HttpHeaders.AUTHORIZATION, "Bearer " + CLIENT_TOKEN)
                .exchange().expectStatus().isOk();
        // the 401 tells an SDK user the form SDKs send, and that Bearer works as well
        web.get().uri("/api/client/features").exchange().expectStatus().isUnauthorized().expectBody()
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("Authorization: <token>").contains("Bearer <token> also works"));
        web.get().uri("/api/v1/flags").exchange().expectStatus().isUnauthorized().expectBody()
                .jsonPath("$.detail").isEqualTo("a valid API token is required (Authorization: Bearer <token>)");
    }

    /**
     * A plain poll is answered by the fast path before the security chain; one with any other query parameter
     * goes through the chain to the controller. Both answer the same bytes, ETag and status, 200 and 304.
     */
    @Test
    void theFastPathAndTheControllerAnswerTheSameBytesAndEtags() {
        createFlag(true);
        for (String prefix : List.of("", "flag_")) {
            String fast = prefix.isEmpty() ? "/api/client/features" : "/api/client/features?namePrefix=" + prefix;
            String slow = fast + (prefix.isEmpty() ? "?" : "&") + "appName=billing";
            var viaFastPath = sdk().get().uri(fast).exchange().expectStatus().isOk().expectBody().returnResult();
            var viaController = sdk().get().uri(slow).exchange().expectStatus().isOk().expectBody().returnResult();
            assertThat(viaFastPath.getResponseBody()).isEqualTo(viaController.getResponseBody());
            String etag = viaFastPath.getResponseHeaders().getETag();
            assertThat(viaController.getResponseHeaders().getETag()).isEqualTo(etag);
            assertThat(viaFastPath.getResponseHeaders().getCacheControl())
                    .isEqualTo(viaController.getResponseHeaders().getCacheControl());
            // every header, the security ones included, but those that differ by nature per response
            assertThat(comparable(viaFastPath.getResponseHeaders()))
                    .isEqualTo(comparable(viaController.getResponseHeaders()));
            List<Map<String, List<String>>> notModified = new java.util.ArrayList<>();
            for (String uri : List.of(fast, slow)) {
                notModified.add(comparable(sdk().get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange()
                        .expectStatus().isNotModified()
                        .expectHeader().valueEquals(HttpHeaders.ETAG, etag).expectBody().isEmpty().getResponseHeaders()));
            }
            assertThat(notModified.get(0)).containsKey("X-Frame-Options").isEqualTo(notModified.get(1));
        }
        // a person's token never gets the fast path's answer
        viewer().get().uri("/api/client/features").exchange().expectStatus().isForbidden();
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneFeatureIsServedByNameAsInTheDocumentAndAnUnknownOneIs404() {
        String flag = createFlag(true);
        new FlagChangesDriver(admin(), flag).percentage(35);
        Map<String, Object> single = sdk().get().uri("/api/client/features/{name}", flag).exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(single).isEqualTo(feature(flag));
        assertThat(((List<Map<String, Object>>) single.get("strategies")).get(0).get("parameters"))
                .isEqualTo(Map.of("rollout", "35", "stickiness", "tenantId", "groupId", flag));
        sdk().get().uri("/api/client/features/{name}", unique("missing")).exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/client/features/{name}", flag).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void registrationAsUnleashClientJavaSendsItIsAcceptedAndKept() throws Exception {
        String instance = unique("instance");
        sdk().post().uri("/api/client/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(registration("agent-router", instance)).exchange().expectStatus().isAccepted();
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT sdk_version, strategies, started_at, interval_ms, connection_id, last_seen_at "
                        + "FROM unleash_client_instances WHERE app_name = 'agent-router' AND instance_id = ?")) {
            s.setString(1, instance);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("sdk_version")).isEqualTo("unleash-java-sdk:11.2.1");
                assertThat((String[]) rs.getArray("strategies").getArray()).contains("flexibleRollout", "default");
                assertThat(rs.getObject("started_at", java.time.OffsetDateTime.class).toInstant())
                        .isEqualTo(java.time.Instant.parse("2025-05-01T10:00:00.123Z"));
                assertThat(rs.getLong("interval_ms")).isEqualTo(60000);
                assertThat(rs.getString("connection_id")).isEqualTo("c-1");
                assertThat(rs.getObject("last_seen_at")).isNotNull();
            }
        }
    }

    @Test
    void metricsAsUnleashClientJavaSendsThemAreKeptPerFlagInstanceAndBucketAndARepostReplaces() throws Exception {
        String instance = unique("instance");
        Map<String, Object> body = metrics(instance, Map.of("voice_agent_v2", Map.of("yes", 7, "no", 3,
                "variants", Map.of()), "other_flag", Map.of("yes", 0, "no", 1, "variants", Map.of("blue", 1))));
        for (int i = 0; i < 2; i++) {
            sdk().post().uri("/api/client/metrics").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isAccepted();
        }
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT flag_name, yes, no, variants::text FROM unleash_client_metrics WHERE instance_id = ? "
                        + "ORDER BY flag_name")) {
            s.setString(1, instance);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("other_flag");
                assertThat(rs.getString(4)).isEqualTo("{\"blue\": 1}");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("voice_agent_v2");
                assertThat(rs.getLong(2)).isEqualTo(7);
                assertThat(rs.getLong(3)).isEqualTo(3);
                assertThat(rs.next()).as("a re-posted bucket replaces, it does not add").isFalse();
            }
        }
        try (Connection c = DATABASE.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM unleash_client_instances WHERE instance_id = ?")) {
            s.setString(1, instance);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("metrics alone make the instance known").isEqualTo(1);
            }
        }
    }

    @Test
    void malformedRegistrationsAndMetricsAre400ProblemsNamingTheField() {
        assertProblem("/api/client/register", Map.of("instanceId", "i"), "appName", "required");
        Map<String, Object> badStart = new java.util.HashMap<>(registration("a", "i"));
        badStart.put("started", "yesterday");
        assertProblem("/api/client/register", badStart, "started", "date-time");
        assertProblem("/api/client/metrics", Map.of("appName", "a", "instanceId", "i"), "bucket", "required");
        assertProblem("/api/client/metrics", metrics("i", Map.of("f", Map.of("yes", -1, "no", 0))),
                "bucket.toggles[f].yes", "min");
        assertProblem("/api/client/metrics", metrics("i", Map.of("f", Map.of("yes", 1.5, "no", 0))),
                "bucket.toggles.f.yes", "integer");
        Map<String, Object> badStop = new java.util.HashMap<>(metrics("i", Map.of()));
        badStop.put("bucket", Map.of("start", "2025-05-01T10:00:00Z", "stop", "2025-05-01T09:00:00Z",
                "toggles", Map.of()));
        assertProblem("/api/client/metrics", badStop, "bucket.stop", "after-start");
        sdk().post().uri("/api/client/metrics").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"appName\":")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body");
    }

    private void assertProblem(String path, Object body, String field, String rule) {
        sdk().post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo(field)
                .jsonPath("$.errors[0].rule").isEqualTo(rule);
    }

    /** What unleash-client-java 11.2.1 posts to /client/register (Gson, ClientRegistration). */
    private static Map<String, Object> registration(String app, String instance) {
        return Map.ofEntries(Map.entry("appName", app), Map.entry("instanceId", instance),
                Map.entry("connectionId", "c-1"), Map.entry("sdkVersion", "unleash-java-sdk:11.2.1"),
                Map.entry("strategies", List.of("default", "flexibleRollout", "userWithId")),
                Map.entry("started", "2025-05-01T10:00:00.123Z"), Map.entry("interval", 60000),
                Map.entry("environment", "default"), Map.entry("platformName", "OpenJDK 64-Bit Server VM"),
                Map.entry("platformVersion", "17.0.15"), Map.entry("yggdrasilVersion", "0.4.4"),
                Map.entry("specVersion", "5.2.2"));
    }

    /** What unleash-client-java 11.2.1 posts to /client/metrics (Gson, ClientMetrics with a MetricsBucket). */
    private static Map<String, Object> metrics(String instance, Map<String, ?> toggles) {
        return Map.of("appName", "agent-router", "instanceId", instance, "connectionId", "c-1",
                "environment", "default", "specVersion", "5.2.2", "platformName", "OpenJDK 64-Bit Server VM",
                "platformVersion", "17.0.15", "yggdrasilVersion", "0.4.4",
                "bucket", Map.of("start", "2025-05-01T10:00:00.000Z", "stop", "2025-05-01T10:01:00.000Z",
                        "toggles", toggles));
    }

    private String etag() {
        return sdk().get().uri("/api/client/features").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseHeaders().getETag();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> feature(String flag) {
        Map<String, Object> body = sdk().get().uri("/api/client/features").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) body.get("features")).stream()
                .filter(f -> flag.equals(f.get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, List<String>> comparable(HttpHeaders headers) {
        Map<String, List<String>> out = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.DATE) && !name.equalsIgnoreCase("X-Request-Id")) {
                out.put(name, values);
            }
        });
        return out;
    }
}
