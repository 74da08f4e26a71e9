package dev.switchboard.controlplane.dashboard;

import java.util.List;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.session.WebSessionIdResolver;

/**
 * The dashboard's session cookie: {@code HttpOnly}, {@code SameSite=Lax} always (a page of another site cannot
 * make the browser send it with a form post or a frame), and {@code Secure} when the request came over HTTPS or
 * configuration says so ({@code switchboard.dashboard.secure-cookie}).
 */
final class SessionCookie implements WebSessionIdResolver {

    static final String NAME = "SESSION";

    private final String secure;

    SessionCookie(String secure) {
        this.secure = secure;
    }

    @Override
    public List<String> resolveSessionIds(ServerWebExchange exchange) {
        List<HttpCookie> cookies = exchange.getRequest().getCookies().get(NAME);
        return cookies == null ? List.of() : cookies.stream().map(HttpCookie::getValue).toList();
    }

    @Override
    public void setSessionId(ServerWebExchange exchange, String id) {
        exchange.getResponse().getCookies().set(NAME, cookie(exchange, id).build());
    }

    @Override
    public void expireSession(ServerWebExchange exchange) {
        exchange.getResponse().getCookies().set(NAME, cookie(exchange, "").maxAge(0).build());
    }

    private ResponseCookie.ResponseCookieBuilder cookie(ServerWebExchange exchange, String value) {
        return ResponseCookie.from(NAME, value).path("/").httpOnly(true).sameSite("Lax").secure(secure(exchange));
    }

    private boolean secure(ServerWebExchange exchange) {
        return switch (secure) {
            case "always" -> true;
            case "never" -> false;
            default -> "https".equalsIgnoreCase(exchange.getRequest().getURI().getScheme())
                    || exchange.getRequest().getSslInfo() != null;
        };
    }
}
