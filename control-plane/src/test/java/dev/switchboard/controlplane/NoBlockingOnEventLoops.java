package dev.switchboard.controlplane;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound for every test in this module (registered through JUnit's extension auto-detection):
 * a blocking call on a Reactor/Netty event-loop thread fails the request that made it, so the tests would see
 * a 500 instead of the expected answer.
 */
public class NoBlockingOnEventLoops implements BeforeAllCallback {

    private static volatile boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (installed) {
            return;
        }
        synchronized (NoBlockingOnEventLoops.class) {
            if (!installed) {
                // install(...) also loads the ServiceLoader integrations (Reactor's own marks its event-loop
                // threads as non-blocking); builder() alone would not, and would then catch nothing
                BlockHound.install(builder -> builder
                        // class loading and logging touch files once; not a request-path wait
                        .allowBlockingCallsInside("java.lang.ClassLoader", "loadClass")
                        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                        // Hibernate Validator reads its message bundle from its jar once, on the first violation
                        // (then caches it); the app warms it up at start, this covers the race with the first request
                        .allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
                                "loadBundle")
                        // Netty 4.2's adaptive allocator takes a short internal lock when it grows; Netty's own
                        // BlockHound integration does not list it yet
                        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                                "tryExpandMagazines")
                        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free")
                        // each dashboard template is read from the ui-templates jar once, then served from
                        // Thymeleaf's cache (spring.thymeleaf.cache=true)
                        .allowBlockingCallsInside("org.thymeleaf.spring6.templateresource.SpringResourceTemplateResource",
                                "reader")
                        .allowBlockingCallsInside("org.thymeleaf.templateparser.markup.AbstractMarkupTemplateParser",
                                "parse")
                        // Spring Security masks the CSRF token with SecureRandom bytes on every request: a read of
                        // /dev/urandom, which does not wait once the kernel pool is seeded (framework code)
                        .allowBlockingCallsInside(
                                "org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler",
                                "createXoredCsrfToken")
                        // the htmx webjar's version is read from its jar once, then cached by the locator
                        .allowBlockingCallsInside("org.webjars.WebJarVersionLocator", "version"));
                installed = true;
            }
        }
    }
}
