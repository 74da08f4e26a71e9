package dev.switchboard.controlplane.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.contract.MetricWindow;
import dev.switchboard.contract.RevisionConfirmation;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON input is taken literally: 12.5 or "50" is not an integer percentage. Without this Jackson would quietly
 * truncate 12.5 to 12, and a release manager would roll out something they did not type.
 * <p>
 * Request bodies are read stricter still, by a reader of their own (the application's mapper, which also reads
 * what we stored ourselves, stays tolerant so that instances of two versions can share a database):
 * <ul>
 *   <li>a member given twice ({@code {"percentage":10,"percentage":90}}) is refused instead of the last one
 *   winning;</li>
 *   <li>a member the request does not know ({@code "percantage"}) is refused, naming it; bodies other programs
 *   send (Unleash SDKs, routers) opt out with {@code @JsonIgnoreProperties(ignoreUnknown = true)};</li>
 *   <li>text holding a control character (NUL and the rest of C0 and DEL; tab and line breaks are text) is
 *   refused naming the field, before it can reach PostgreSQL.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictNumbers() {
        return builder -> builder
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** The reader of request bodies: the application's mapper with the three rules above. */
    @Bean
    RequestJson requestJson(JsonMapper json) {
        SimpleModule text = new SimpleModule("switchboard-text");
        text.addDeserializer(String.class, new PlainText());
        return new RequestJson(json.rebuild()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // the routers' metric windows (the shared contract, no Jackson in it): a newer router may send a
                // member an older control plane does not know yet, during a rolling upgrade
                .addMixIn(MetricWindow.class, Tolerant.class)
                .addMixIn(MetricWindow.Series.class, Tolerant.class)
                .addMixIn(RevisionConfirmation.class, Tolerant.class)
                .addModule(text)
                .build());
    }

    /** After Spring Boot's own customizer, so this decoder is the one used for {@code application/json}. */
    @Bean
    @Order(100)
    CodecCustomizer strictRequestBodies(RequestJson requestJson) {
        return configurer -> configurer.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(requestJson.mapper()));
    }

    /** Mixed into bodies other programs send: members this version does not know are skipped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private interface Tolerant {
    }

    /** The mapper request bodies are read with (also used to warm their readers up at start). */
    public record RequestJson(JsonMapper mapper) {
    }

    /** Jackson's own string reading, then the control-character rule. */
    static final class PlainText extends StdScalarDeserializer<String> {

        PlainText() {
            super(String.class);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            if (value != null && TextRules.controlCharacter(value, true) >= 0) {
                throw new ControlCharacter(p);
            }
            return value;
        }
    }

    /** A text value holding a control character; Jackson adds the path of the member to it. */
    static final class ControlCharacter extends MismatchedInputException {

        ControlCharacter(JsonParser p) {
            super(p, TextRules.CONTROL_MESSAGE, String.class);
        }
    }
}
