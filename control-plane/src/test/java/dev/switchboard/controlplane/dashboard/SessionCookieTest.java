package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The session cookie's attributes for plain HTTP, HTTPS (direct or through a TLS proxy) and configuration. */
class SessionCookieTest {

    @Test
    void sameSiteLaxAndHttpOnlyAlwaysSecureOverHttpsOrWhenConfigured() {
        assertThat(cookie("auto", "http://dash.example/login").isSecure()).isFalse();
        // over HTTPS, or behind a TLS proxy once server.forward-headers-strategy has applied X-Forwarded-Proto
        assertThat(cookie("auto", "https://dash.example/login").isSecure()).isTrue();
        assertThat(cookie("always", "http://10.0.0.5:8080/login").isSecure()).isTrue();
        assertThat(cookie("never", "https://dash.example/login").isSecure()).isFalse();
        for (String mode : new String[] {"auto", "always", "never"}) {
            ResponseCookie c = cookie(mode, "http://dash.example/login");
            assertThat(c.getSameSite()).isEqualTo("Lax");
            assertThat(c.isHttpOnly()).isTrue();
            assertThat(c.getPath()).isEqualTo("/");
        }
    }

    private static ResponseCookie cookie(String mode, String url) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(url));
        new SessionCookie(mode).setSessionId(exchange, "id");
        return exchange.getResponse().getCookies().getFirst(SessionCookie.NAME);
    }
}
