package dev.switchboard.controlplane.web;

import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes Hibernate Validator load its message bundles at start-up, on the main thread: otherwise the first
 * request with a validation error would read them from a jar on an event-loop thread.
 */
@Component
class ValidationWarmUp implements ApplicationRunner {

    private record Probe(@NotNull Integer value) {
    }

    private final Validator validator;

    ValidationWarmUp(Validator validator) {
        this.validator = validator;
    }

    @Override
    public void run(ApplicationArguments args) {
        validator.validate(new Probe(null)).forEach(violation -> violation.getMessage());
    }
}
