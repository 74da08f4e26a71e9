package dev.switchboard.controlplane.web;

import jakarta.validation.constraints.Positive;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the admin API.
 *
 * @param maxBodyBytes     largest JSON body accepted on ordinary endpoints (64 KiB)
 * @param maxBulkBodyBytes largest body on bulk endpoints
 * @param bulkPaths        path prefixes that take bulk bodies
 */
@Validated
@ConfigurationProperties("switchboard.api")
public record ApiProperties(@Positive long maxBodyBytes, @Positive long maxBulkBodyBytes, List<String> bulkPaths) {

    public ApiProperties {
        bulkPaths = bulkPaths == null ? List.of() : List.copyOf(bulkPaths);
    }
}
