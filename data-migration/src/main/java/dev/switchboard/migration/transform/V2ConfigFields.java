package dev.switchboard.migration.transform;

import java.math.BigDecimal;
import java.util.List;

/** The v2 fields the transformation derives for one config; everything else is copied as is in SQL. */
public record V2ConfigFields(
        String id,
        String assistantTypeId,
        String voiceId,
        BigDecimal voiceSpeed,
        String personalityType,
        String specialInstructions,
        List<String> enabledCapabilities,
        String templateVersion,
        String originalPromptHash) {

    public V2ConfigFields {
        enabledCapabilities = List.copyOf(enabledCapabilities);
    }
}
