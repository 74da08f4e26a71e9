package dev.switchboard.controlplane.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** A person's browser session for WebTestClient: a cookie jar, and CSRF tokens read from the pages. */
final class FormSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern REVISION = Pattern.compile("name=\"revision\" value=\"(\\d+)\"");

    private final Map<String, String> cookies;
    private final WebTestClient web;

    FormSession(String baseUrl) {
        this(baseUrl, null, new ConcurrentHashMap<>());
    }

    /**
     * A browser at {@code localAddress} (e.g. 127.0.0.2: every 127/8 address is this machine), so that the
     * server sees another client address; {@code cookies} may be shared with another session of the same browser.
     */
    private FormSession(String baseUrl, String localAddress, Map<String, String> cookies) {
        this.cookies = cookies;
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
        if (localAddress != null) {
            http = http.bindAddress(() -> new InetSocketAddress(localAddress, 0));
        }
        this.web = WebTestClient.bindToServer(new ReactorClientHttpConnector(http)).baseUrl(baseUrl)
                .responseTimeout(Duration.ofSeconds(30))
                .filter((request, next) -> next.exchange(ClientRequest.from(request)
                                .cookies(c -> cookies.forEach(c::set)).build())
                        .flatMap(response -> {
                            response.cookies().forEach((name, values) -> values.forEach(v -> {
                                if (v.getMaxAge().isZero()) {
                                    cookies.remove(name);
                                } else {
                                    cookies.put(name, v.getValue());
                                }
                            }));
                            return Mono.just(response);
                        }))
                .build();
    }

    /** A browser on another client address. */
    static FormSession from(String baseUrl, String localAddress) {
        return new FormSession(baseUrl, localAddress, new ConcurrentHashMap<>());
    }

    /** The same browser (same cookies) talking to another server, e.g. the other control plane. */
    FormSession on(String otherBaseUrl) {
        return new FormSession(otherBaseUrl, null, cookies);
    }

    Map<String, String> cookies() {
        return cookies;
    }

    static FormSession login(String baseUrl, String user, String password) {
        FormSession session = new FormSession(baseUrl);
        session.logIn(user, password).expectStatus().is3xxRedirection();
        return session;
    }

    WebTestClient.ResponseSpec logIn(String user, String password) {
        String page = page("/login");
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("username", user);
        form.add("password", password);
        form.add("_csrf", csrf(page));
        return web.post().uri("/login").accept(MediaType.TEXT_HTML).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form)).exchange();
    }

    WebTestClient.ResponseSpec get(String path) {
        return web.get().uri(path).accept(MediaType.TEXT_HTML).exchange();
    }

    WebTestClient.ResponseSpec htmxGet(String path, String currentUrl) {
        return web.get().uri(path).header("HX-Request", "true").header("HX-Current-URL", currentUrl).exchange();
    }

    /** A plain browser form post (no htmx). */
    WebTestClient.ResponseSpec postForm(String path, MultiValueMap<String, String> form) {
        return web.post().uri(path).accept(MediaType.TEXT_HTML).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form)).exchange();
    }

    /** An htmx form post, as the page's forms send it. */
    WebTestClient.ResponseSpec post(String path, MultiValueMap<String, String> form) {
        return web.post().uri(path).header("HX-Request", "true").accept(MediaType.TEXT_HTML)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form)).exchange();
    }

    String page(String path) {
        return get(path).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    static String body(WebTestClient.ResponseSpec spec) {
        return spec.expectBody(String.class).returnResult().getResponseBody();
    }

    static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("page has a CSRF field").isTrue();
        return m.group(1);
    }

    static long revision(String page) {
        Matcher m = REVISION.matcher(page);
        assertThat(m.find()).as("page has a revision field").isTrue();
        return Long.parseLong(m.group(1));
    }

    static MultiValueMap<String, String> form(String page, String... pairs) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("_csrf", csrf(page));
        for (int i = 0; i < pairs.length; i += 2) {
            form.add(pairs[i], pairs[i + 1]);
        }
        return form;
    }
}
