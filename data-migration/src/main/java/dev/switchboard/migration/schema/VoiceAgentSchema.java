package dev.switchboard.migration.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The voice-agent platform's tables (v1 and v2) exactly as the migration expects them, in one SQL script: the test
 * fixtures, the benchmark and the demo all create their agent databases from it.
 */
public final class VoiceAgentSchema {

    /** The script's resource name on the class path. */
    public static final String RESOURCE = "/dev/switchboard/migration/schema/voice_agent_schema.sql";

    /** The type of {@code businesses.id} and of every {@code business_id}. */
    public enum BusinessIdType {
        /** The platform's own type. */
        UUID,
        /** Readable ids such as the demo's {@code tenant-0001}. */
        TEXT
    }

    private VoiceAgentSchema() {
    }

    /** The CREATE TABLE script with business ids of the given type. */
    public static String sql(BusinessIdType idType) {
        try (InputStream in = VoiceAgentSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return script.replace("{{business_id_type}}", idType.name().toLowerCase(java.util.Locale.ROOT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
