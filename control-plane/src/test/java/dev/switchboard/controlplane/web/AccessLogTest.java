package dev.switchboard.controlplane.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/** The access log is quiet by default: SDK polls, reads and health checks at DEBUG, changes and 5xx at INFO. */
class AccessLogTest {

    private final Logger access = (Logger) LoggerFactory.getLogger("switchboard.access");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level before;

    @BeforeEach
    void capture() {
        before = access.getLevel();
        access.setLevel(Level.DEBUG);
        lines.start();
        access.addAppender(lines);
    }

    @AfterEach
    void release() {
        access.detachAppender(lines);
        access.setLevel(before);
    }

    private Level levelOf(AccessLogProperties.Mode mode, MockServerHttpRequest request, HttpStatus status) {
        lines.list.clear();
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        new RequestIdFilter(new AccessLogProperties(mode)).filter(exchange, e -> {
            e.getResponse().setStatusCode(status);
            return Mono.empty();
        }).block();
        List<ILoggingEvent> events = lines.list;
        return events.isEmpty() ? null : events.get(0).getLevel();
    }

    @Test
    void pollsReadsAndHealthAreDebugChangesAndServerErrorsInfo() {
        var mode = AccessLogProperties.Mode.CHANGES;
        assertThat(levelOf(mode, MockServerHttpRequest.get("/api/client/features").build(), HttpStatus.OK)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.get("/api/client/features").build(), HttpStatus.NOT_MODIFIED)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.post("/api/client/metrics").build(), HttpStatus.ACCEPTED)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.post("/api/client/register").build(), HttpStatus.ACCEPTED)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.post("/api/v1/router-metrics").build(), HttpStatus.ACCEPTED)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.get("/actuator/health/readiness").build(), HttpStatus.OK)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.get("/dashboard/flags/f/panels").build(), HttpStatus.OK)).isEqualTo(Level.DEBUG);
        assertThat(levelOf(mode, MockServerHttpRequest.put("/api/v1/flags/f/percentage").build(), HttpStatus.OK)).isEqualTo(Level.INFO);
        assertThat(levelOf(mode, MockServerHttpRequest.post("/api/v1/flags/f/rollback").build(), HttpStatus.CONFLICT)).isEqualTo(Level.INFO);
        assertThat(levelOf(mode, MockServerHttpRequest.get("/api/v1/flags").build(), HttpStatus.SERVICE_UNAVAILABLE)).isEqualTo(Level.INFO);
    }

    @Test
    void allLogsEveryRequestAtInfoAndOffNothing() {
        assertThat(levelOf(AccessLogProperties.Mode.ALL, MockServerHttpRequest.get("/api/client/features").build(), HttpStatus.OK))
                .isEqualTo(Level.INFO);
        assertThat(levelOf(AccessLogProperties.Mode.OFF, MockServerHttpRequest.put("/api/v1/flags/f/percentage").build(), HttpStatus.OK))
                .isNull();
    }
}
