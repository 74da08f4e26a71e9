package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Json} replaced Jackson's {@code JsonMapper} in the CLI for start-up time; scripts read {@code -o json},
 * so it must read and write exactly what the mapper did: same node types, same pretty layout, same compact text.
 */
class JsonTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String SAMPLE = """
            {"name":"voice_agent_v2","enabled":true,"percentage":25,"revision":9007199254740993,
             "huge":123456789012345678901234567890,"errorRate":0.0125,"p95":1.5E3,"ratio":-0.0,
             "allowTenants":["t-1","t\\u00e9-2","quote\\"d","tab\\t"],"denyTenants":[],"updatedBy":null,
             "nested":{"v1":{"requests":0,"avgLatencyMs":0.0},"empty":{}},"unicode":"→ ✓ 🚀"}
            """;

    @Test
    void parsesToTheTreeReadTreeGives() {
        JsonNode ours = Json.parse(SAMPLE);
        JsonNode theirs = MAPPER.readTree(SAMPLE);
        assertThat(ours).isEqualTo(theirs);
        // same node classes, so isInt/isLong/isDouble and Output.cell's number formatting behave the same
        assertThat(ours.path("percentage").isInt()).isTrue();
        assertThat(ours.path("revision").isLong()).isTrue();
        assertThat(ours.path("huge").isBigInteger()).isTrue();
        assertThat(ours.path("errorRate").isDouble()).isTrue();
        assertThat(ours.path("updatedBy").isNull()).isTrue();
        assertThat(ours.path("nested").path("v1").path("avgLatencyMs").getClass())
                .isEqualTo(theirs.path("nested").path("v1").path("avgLatencyMs").getClass());
        assertThat(Json.parse("[1,2]").isArray()).isTrue();
        assertThat(Json.parse("\"text\"").asString()).isEqualTo("text");
    }

    @Test
    void writesWhatTheMapperWrote() {
        JsonNode tree = MAPPER.readTree(SAMPLE);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("flag", tree);
        document.put("tenants", Map.of("registered", 3));
        document.put("alerts", null);
        document.put("changed", true);
        document.put("list", List.of(1, 2L, 2.5, "x", BigInteger.TEN, new ArrayList<>()));
        document.put("level", SwitchboardCommand.Format.json);
        assertThat(Json.pretty(document)).isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        assertThat(Json.write(document)).isEqualTo(MAPPER.writeValueAsString(document));
        assertThat(Json.pretty(tree)).isEqualTo(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        assertThat(Json.write(tree.path("nested"))).isEqualTo(tree.path("nested").toString());
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> Json.parse("<html><body>Bad gateway</body></html>"))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":1} trailing")).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(JacksonException.class);
        assertThat(Json.parse("   ").isMissingNode()).isTrue();
    }

    @Test
    void refusesToGuessTheShapeOfAnythingElse() {
        assertThatThrownBy(() -> Json.write(Map.of("at", java.time.Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
    }
}
