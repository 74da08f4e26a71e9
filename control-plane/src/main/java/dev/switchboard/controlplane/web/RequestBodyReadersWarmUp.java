package dev.switchboard.controlplane.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds Jackson's deserializer for every {@code @RequestBody} type at start-up, on the main thread. Jackson
 * builds them lazily under a lock the first time a type is read, which would otherwise happen on an event-loop
 * thread with the first request of each kind (a router's first metric push, say).
 */
@Component
class RequestBodyReadersWarmUp implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBodyReadersWarmUp.class);

    private final RequestMappingHandlerMapping mappings;
    private final JsonMapper json;

    RequestBodyReadersWarmUp(RequestMappingHandlerMapping requestMappingHandlerMapping, StrictJson.RequestJson json) {
        this.mappings = requestMappingHandlerMapping;
        this.json = json.mapper();
    }

    @Override
    public void run(ApplicationArguments args) {
        mappings.getHandlerMethods().values().stream()
                .flatMap(method -> java.util.Arrays.stream(method.getMethodParameters()))
                .filter(parameter -> parameter.hasParameterAnnotation(RequestBody.class))
                .map(MethodParameter::getGenericParameterType)
                .distinct()
                .forEach(type -> {
                    try {
                        // an ObjectReader fetches its root deserializer eagerly
                        json.readerFor(json.constructType(type));
                    } catch (RuntimeException e) {
                        LOG.debug("no JSON reader warmed for {}: {}", type, e.toString());
                    }
                });
    }
}
