package dev.switchboard.controlplane.dashboard;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;

/**
 * Initialises Thymeleaf at start-up on the main thread: it does so lazily on the first render otherwise,
 * reading its own version file from its jar on an event-loop thread.
 */
@Component
class TemplateEngineWarmUp implements ApplicationRunner {

    private final ISpringWebFluxTemplateEngine engine;

    TemplateEngineWarmUp(ISpringWebFluxTemplateEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        engine.getConfiguration();
    }
}
