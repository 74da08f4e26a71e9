package dev.switchboard.controlplane.unleash;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Unleash client API's knobs.
 *
 * @param keepAlive    how often an idle SSE stream gets a comment line; well under the SDK's 60 s read
 *                     timeout, and under the idle timeouts of the proxies usually in between
 * @param streamBuffer how many changes one stream may have waiting for a slow client before it is closed
 *                     (the SDK then reconnects and hydrates again, instead of the stream holding the others up)
 * @param sdkRetention      SDK instances not heard from for this long are deleted with their counts, and
 *                          metrics buckets that ended longer ago than this are deleted
 * @param sdkMaxInstances   at most this many SDK instances are kept (the least recently seen go first), so a
 *                          client token cannot grow the tables without bound by inventing instance ids
 * @param sdkRetentionInterval how often the SDK retention job runs (on every replica: it is idempotent)
 */
@Validated
@ConfigurationProperties("switchboard.unleash")
record UnleashProperties(@DefaultValue("15s") Duration keepAlive,
                         @DefaultValue("1024") @Min(16) @Max(1_000_000) int streamBuffer,
                         @DefaultValue("8d") Duration sdkRetention,
                         @DefaultValue("10000") @Min(1) @Max(10_000_000) int sdkMaxInstances,
                         @DefaultValue("10m") Duration sdkRetentionInterval) {
}
