package dev.switchboard.migration.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every rule of the legacy migration script's transformConfig, one table per rule. */
class ConfigTransformerTest {

    private final ConfigTransformer transformer = new ConfigTransformer();

    static Stream<Arguments> assistantTypes() {
        return Stream.of(
                // vertical, prompt, expected
                arguments("restaurant", "Contesta preguntas", "rest_basic"),
                arguments("restaurant", null, "rest_basic"),
                arguments("restaurant", "", "rest_basic"),
                arguments("restaurant", "Toma un PEDIDO", "rest_standard"),
                arguments("restaurant", "registra la orden", "rest_standard"),
                arguments("restaurant", "lee el Menu del dia", "rest_standard"),
                arguments("restaurant", "toma pedidos; si hay dudas, transferir", "rest_complete"),
                arguments("restaurant", "menu y pasar a un HUMANO", "rest_complete"),
                arguments("restaurant", "transferir a un humano (sin pedidos)", "rest_complete"),
                arguments("restaurant", "solo transferir a un humano", "rest_basic"),
                arguments("dental", "agenda citas", "dental_basic"),
                arguments("dental", "explica cada servicio", "dental_standard"),
                arguments("dental", "explica el Tratamiento", "dental_standard"),
                arguments("dental", "tratamiento; transferir si urge", "dental_complete"),
                arguments("dental", "servicio o humano", "dental_complete"),
                arguments("dental", null, "dental_basic"),
                arguments("retail", "toma pedidos del menu y transferir", "retail_basic"),
                arguments("salon", null, "salon_basic"),
                // the vertical is matched exactly, as in the legacy script
                arguments("Restaurant", "pedido", "Restaurant_basic"));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @MethodSource("assistantTypes")
    void assistantTypeFromVerticalAndPromptKeywords(String vertical, String prompt, String expected) {
        assertThat(transformer.transform(new V1Config("c", "b", vertical, prompt, "v")).assistantTypeId())
                .isEqualTo(expected);
    }

    @Test
    void missingOrEmptyVerticalIsRestaurant() {
        assertThat(transformer.transform(new V1Config("c", "b", null, "menu", "v")).assistantTypeId())
                .isEqualTo("rest_standard");
        assertThat(transformer.transform(new V1Config("c", "b", "", "menu", "v")).assistantTypeId())
                .isEqualTo("rest_standard");
        assertThat(transformer.transform(new V1Config("c", "b", null, null, "v")).enabledCapabilities())
                .containsExactly("reservations");
    }

    static Stream<Arguments> specialInstructions() {
        String longBody = "x".repeat(1500);
        return Stream.of(
                arguments(null, null),
                arguments("", null),
                arguments("Sin secciones especiales", null),
                arguments("Intro\n## Instrucciones especiales: No servir alcohol.\n## Horario\n9-5",
                        "No servir alcohol."),
                arguments("INSTRUCCIONES ESPECIALES:\n  Hablar despacio  \n", "Hablar despacio"),
                arguments("instrucciones especiales sin dos puntos hasta el final", "sin dos puntos hasta el final"),
                arguments("Notas importantes: cerrado lunes ## otra", "cerrado lunes"),
                arguments("Reglas especiales:\tnada de spoilers", "nada de spoilers"),
                // first pattern wins even when a later one appears earlier in the text
                arguments("Notas importantes: B ## Instrucciones especiales: A ## fin", "A"),
                // an empty section is falsy in JavaScript and falls through to the next pattern
                arguments("Instrucciones especiales:## Notas importantes: N", "N"),
                arguments("Instrucciones especiales: " + longBody, "x".repeat(1000)),
                // JavaScript's trim also drops no-break spaces
                arguments("Instrucciones especiales:\u00a0 texto \u00a0", "texto"));
    }

    @ParameterizedTest(name = "[{index}] -> {1}")
    @MethodSource("specialInstructions")
    void specialInstructionsFromPromptSections(String prompt, String expected) {
        assertThat(transformer.transform(new V1Config("c", "b", "restaurant", prompt, "v")).specialInstructions())
                .isEqualTo(expected);
    }

    @Test
    void specialInstructionsNeverCutASurrogatePair() {
        String prompt = "Instrucciones especiales: " + "a".repeat(999) + "😀tail";
        String got = transformer.specialInstructions(prompt);
        assertThat(got).hasSize(999).doesNotContain("\ud83d");
    }

    static Stream<Arguments> capabilities() {
        return Stream.of(
                arguments("restaurant", null, List.of("reservations")),
                arguments("restaurant", "", List.of("reservations")),
                arguments("dental", null, List.of("appointments")),
                arguments("retail", null, List.of("appointments")),
                arguments("restaurant", "Hola", List.of("basic")),
                arguments("restaurant", "Reservas, pedidos, menu y promociones",
                        List.of("reservations", "orders", "menu_info", "promotions")),
                arguments("restaurant", "toma la orden", List.of("orders")),
                arguments("dental", "citas, servicios, doctor, seguro",
                        List.of("appointments", "services_info", "doctor_info", "insurance_info")),
                arguments("dental", "un tratamiento", List.of("services_info")),
                // vertical keywords only count in their vertical
                arguments("dental", "reservas y menu", List.of("basic")),
                arguments("restaurant", "cita con el doctor", List.of("basic")),
                arguments("retail", "Horario, transferir, FAQ",
                        List.of("business_hours", "human_transfer", "faq")),
                arguments("retail", "habla con un humano o responde cada pregunta",
                        List.of("human_transfer", "faq")),
                arguments("restaurant", "reservas; horario; humano; preguntas frecuentes",
                        List.of("reservations", "business_hours", "human_transfer", "faq")));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @MethodSource("capabilities")
    void capabilitiesFromKeywords(String vertical, String prompt, List<String> expected) {
        assertThat(transformer.transform(new V1Config("c", "b", vertical, prompt, "v")).enabledCapabilities())
                .containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                arguments(null, "elevenlabs-maria"),
                arguments("", "elevenlabs-maria"),
                arguments("eleven-lucia", "eleven-lucia"));
    }

    @ParameterizedTest(name = "voice {0} -> {1}")
    @MethodSource("defaults")
    void defaults(String voice, String expectedVoice) {
        V2ConfigFields v2 = transformer.transform(new V1Config("id-1", "b", "dental", "citas", voice));
        assertThat(v2.id()).isEqualTo("id-1");
        assertThat(v2.voiceId()).isEqualTo(expectedVoice);
        assertThat(v2.voiceSpeed()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(v2.personalityType()).isEqualTo("friendly");
        assertThat(v2.templateVersion()).isEqualTo("1");
    }

    static Stream<Arguments> hashes() {
        // values of the legacy script's JavaScript hashString (Math.abs(hash).toString(16))
        return Stream.of(
                arguments(null, "0"),
                arguments("", "0"),
                arguments("a", "61"),
                arguments("hello", "5e918d2"),
                arguments("Hola, soy tu asistente", Long.toHexString(Math.abs((long) "Hola, soy tu asistente".hashCode()))),
                // |INT_MIN| in JavaScript is 2^31, not negative as in Java's Math.abs(int)
                arguments("polygenelubricants", "80000000"));
    }

    @ParameterizedTest(name = "hash({0}) = {1}")
    @MethodSource("hashes")
    void promptHashIsTheLegacyHashString(String prompt, String expected) {
        assertThat(transformer.transform(new V1Config("c", "b", "restaurant", prompt, "v")).originalPromptHash())
                .isEqualTo(expected);
    }
}
