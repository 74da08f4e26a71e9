package dev.switchboard.migration.transform;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The legacy migration script's {@code transformConfig}, rule for rule, as a pure function (the rules are listed
 * in docs/data-migration.md).
 * Where JavaScript and Java differ (falsy empty strings, {@code $} before a final newline, {@code trim()}'s
 * whitespace set, {@code Math.abs} of the smallest int) this class follows the JavaScript behaviour, so a config
 * migrated here gets exactly what the legacy script would have produced.
 */
public final class ConfigTransformer {

    public static final String DEFAULT_VERTICAL = "restaurant";
    public static final String DEFAULT_VOICE = "elevenlabs-maria";
    public static final BigDecimal DEFAULT_VOICE_SPEED = new BigDecimal("1.0");
    public static final String DEFAULT_PERSONALITY = "friendly";
    public static final String TEMPLATE_VERSION = "1";
    public static final int MAX_SPECIAL_INSTRUCTIONS = 1000;

    // JS /.../i without the m flag: "$" is the end of input only, hence \z here.
    private static final List<Pattern> INSTRUCTION_SECTIONS = List.of(
            section("instrucciones especiales"),
            section("notas importantes"),
            section("reglas especiales"));

    private static Pattern section(String heading) {
        return Pattern.compile(heading + "[:\\s]*([\\s\\S]*?)(?=##|\\z)",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    }

    public V2ConfigFields transform(V1Config v1) {
        String vertical = isFalsy(v1.vertical()) ? DEFAULT_VERTICAL : v1.vertical();
        return new V2ConfigFields(
                v1.id(),
                assistantType(v1.systemPrompt(), vertical),
                isFalsy(v1.voiceId()) ? DEFAULT_VOICE : v1.voiceId(),
                DEFAULT_VOICE_SPEED,
                DEFAULT_PERSONALITY,
                specialInstructions(v1.systemPrompt()),
                capabilities(v1.systemPrompt(), vertical),
                TEMPLATE_VERSION,
                promptHash(v1.systemPrompt()));
    }

    /** The legacy inferAssistantType: vertical first, then order/service keywords, then transfer keywords. */
    public String assistantType(String systemPrompt, String vertical) {
        String prompt = lower(isFalsy(systemPrompt) ? "" : systemPrompt);
        boolean transfer = prompt.contains("transferir") || prompt.contains("humano");
        if (vertical.equals("restaurant")) {
            if (prompt.contains("pedido") || prompt.contains("orden") || prompt.contains("menu")) {
                return transfer ? "rest_complete" : "rest_standard";
            }
            return "rest_basic";
        }
        if (vertical.equals("dental")) {
            if (prompt.contains("servicio") || prompt.contains("tratamiento")) {
                return transfer ? "dental_complete" : "dental_standard";
            }
            return "dental_basic";
        }
        return vertical + "_basic";
    }

    /** Legacy extractSpecialInstructions: the first matching section, up to the next "##", trimmed, ≤ 1000 chars. */
    public String specialInstructions(String systemPrompt) {
        if (isFalsy(systemPrompt)) {
            return null;
        }
        for (Pattern pattern : INSTRUCTION_SECTIONS) {
            Matcher m = pattern.matcher(systemPrompt);
            // JS: `match && match[1]` — an empty capture is falsy and falls through to the next pattern
            if (m.find() && !m.group(1).isEmpty()) {
                return limit(JsStrings.trim(m.group(1)));
            }
        }
        return null;
    }

    /** The legacy inferCapabilities, in its order; "basic" when nothing matched. */
    public List<String> capabilities(String systemPrompt, String vertical) {
        if (isFalsy(systemPrompt)) {
            return vertical.equals("restaurant") ? List.of("reservations") : List.of("appointments");
        }
        String p = lower(systemPrompt);
        List<String> caps = new ArrayList<>();
        if (vertical.equals("restaurant")) {
            if (p.contains("reserv")) caps.add("reservations");
            if (p.contains("pedido") || p.contains("orden")) caps.add("orders");
            if (p.contains("menu")) caps.add("menu_info");
            if (p.contains("promo")) caps.add("promotions");
        }
        if (vertical.equals("dental")) {
            if (p.contains("cita")) caps.add("appointments");
            if (p.contains("servicio") || p.contains("tratamiento")) caps.add("services_info");
            if (p.contains("doctor")) caps.add("doctor_info");
            if (p.contains("seguro")) caps.add("insurance_info");
        }
        if (p.contains("horario")) caps.add("business_hours");
        if (p.contains("transferir") || p.contains("humano")) caps.add("human_transfer");
        if (p.contains("faq") || p.contains("pregunta")) caps.add("faq");
        return caps.isEmpty() ? List.of("basic") : List.copyOf(caps);
    }

    /**
     * The legacy hashString: the 31-multiplier hash over UTF-16 units (Java's String.hashCode), absolute value in hex.
     * It is a change marker, not a security hash; kept identical so hashes agree with rows the legacy script migrated.
     */
    public String promptHash(String systemPrompt) {
        int h = (systemPrompt == null ? "" : systemPrompt).hashCode();
        return Long.toHexString(Math.abs((long) h));
    }

    private static String limit(String s) {
        if (s.length() <= MAX_SPECIAL_INSTRUCTIONS) {
            return s;
        }
        int end = MAX_SPECIAL_INSTRUCTIONS;
        // never cut a surrogate pair in half: PostgreSQL would get an unencodable character
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isFalsy(String s) {
        return s == null || s.isEmpty();
    }
}
