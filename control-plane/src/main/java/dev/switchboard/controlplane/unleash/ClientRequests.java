package dev.switchboard.controlplane.unleash;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Bodies SDKs post, with the members unleash-client-java 11.2.1 sends (and Unleash's other SDKs mostly share).
 * Unknown members are ignored, so newer SDKs keep working. Dates stay strings here and are parsed by
 * {@link ClientDates} so a bad one is reported by name.
 */
final class ClientRequests {

    private ClientRequests() {
    }

    /** {@code POST /api/client/register}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Registration(@NotBlank @Size(max = 200) String appName,
                        @NotBlank @Size(max = 200) String instanceId,
                        @Size(max = 200) String connectionId,
                        @Size(max = 200) String sdkVersion,
                        @Size(max = 200) String environment,
                        @Size(max = 100) List<@NotBlank @Size(max = 200) String> strategies,
                        @Size(max = 64) String started,
                        @PositiveOrZero Long interval,
                        @Size(max = 200) String platformName,
                        @Size(max = 200) String platformVersion,
                        @Size(max = 200) String yggdrasilVersion,
                        @Size(max = 200) String specVersion) {
    }

    /** {@code POST /api/client/metrics}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metrics(@NotBlank @Size(max = 200) String appName,
                   @NotBlank @Size(max = 200) String instanceId,
                   @Size(max = 200) String connectionId,
                   @Size(max = 200) String environment,
                   @NotNull @Valid Bucket bucket,
                   @Size(max = 200) String sdkVersion,
                   @Size(max = 200) String platformName,
                   @Size(max = 200) String platformVersion,
                   @Size(max = 200) String yggdrasilVersion,
                   @Size(max = 200) String specVersion) {
    }

    /** One metrics window: yes/no counts per flag between {@code start} and {@code stop}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Bucket(@NotBlank @Size(max = 64) String start,
                  @NotBlank @Size(max = 64) String stop,
                  @NotNull @Size(max = 10_000) Map<@NotBlank @Size(max = 200) String, @NotNull @Valid Count> toggles) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Count(@NotNull @PositiveOrZero Long yes,
                 @NotNull @PositiveOrZero Long no,
                 @Size(max = 1000) Map<@NotBlank @Size(max = 200) String, @NotNull @PositiveOrZero Long> variants) {
    }
}
