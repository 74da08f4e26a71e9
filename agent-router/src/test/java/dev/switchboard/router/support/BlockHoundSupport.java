package dev.switchboard.router.support;

import reactor.blockhound.BlockHound;

/** Installs BlockHound once per JVM: any blocking call on a Reactor non-blocking thread fails the test. */
public final class BlockHoundSupport {

    private static volatile boolean installed;

    private BlockHoundSupport() {}

    public static synchronized void install() {
        if (installed) {
            return;
        }
        BlockHound.install(builder -> builder
                // Console logging of the test run itself (output is redirected to a file by surefire).
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes")
                .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
                // WireMock runs on Jetty threads, not Reactor's; listed for its Reactor-free helpers used in tests.
                .allowBlockingCallsInside("com.github.tomakehurst.wiremock.WireMockServer", "verify"));
        installed = true;
    }
}
