package dev.switchboard.controlplane.flags;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Request bodies of the flag API, with the rules the problem body will name when they break. */
final class FlagRequests {

    private FlagRequests() {
    }

    record CreateFlag(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9_.-]{0,99}",
            message = "must be 1-100 lower-case letters, digits or _.- and start with a letter or digit") String name,
                      @Size(max = 500) String description) {
    }

    record SetPercentage(@NotNull @Min(0) @Max(100) Integer percentage,
                         @NotBlank @Size(max = 1000) String reason) {
    }

    record WithReason(@NotBlank @Size(max = 1000) String reason) {
    }

    record SetOverride(@NotNull @Pattern(regexp = "allow|deny", message = "must be allow or deny") String mode,
                       @NotBlank @Size(max = 1000) String reason) {
    }

    record Rollback(@NotNull @Pattern(regexp = "tenant|partial|total|data",
            message = "must be one of tenant, partial, total, data") String level,
                    @Size(max = 128) String tenantId,
                    @Min(0) @Max(100) Integer percentage,
                    @Min(1) Long snapshotId,
                    @NotBlank @Size(max = 1000) String reason) {
    }

    record ExplainMany(@NotNull @Size(max = 20000) List<@NotBlank String> tenants) {
    }
}
