package dev.switchboard.migration.transform;

/**
 * The fields of a v1 {@code voice_agent_config} row (plus {@code businesses.vertical}) that the v2 transformation
 * reads. Columns copied unchanged (ids, phone number, timestamps, is_active) never leave the database.
 */
public record V1Config(String id, String businessId, String vertical, String systemPrompt, String voiceId) {
}
