package dev.switchboard.controlplane.metrics;

import reactor.core.publisher.Flux;

/** Routers seen through their metric pushes. */
public interface RouterDirectory {

    Flux<RouterView> routers();
}
