package dev.switchboard.demo.sinks;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One line per message the sinks received, newest last: when, which sink, and what it said. */
public final class SinkReport {

    private final JsonMapper json = JsonMapper.builder().build();

    public List<String> lines(String host, int port, int last) {
        List<ServeEvent> events = new ArrayList<>(new WireMock(host, port).getServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<String> out = new ArrayList<>();
        for (ServeEvent e : events.subList(Math.max(0, events.size() - last), events.size())) {
            out.add(describe(e.getRequest().getLoggedDate().toInstant().toString(), e.getRequest().getUrl(),
                    e.getRequest().getBodyAsString(), e.getResponse().getStatus()));
        }
        return out;
    }

    public String describe(String when, String url, String body, int status) {
        if (url.startsWith("/v2/enqueue")) {
            try {
                JsonNode event = json.readTree(body);
                return when + "  pagerduty " + status + "  " + event.path("event_action").asString("?") + " ["
                        + event.path("payload").path("severity").asString("-") + "] "
                        + event.path("payload").path("summary").asString("") + "  dedup_key="
                        + event.path("dedup_key").asString("");
            } catch (JacksonException e) {
                return when + "  pagerduty " + status + "  (not JSON) " + abbreviate(body);
            }
        }
        if (url.startsWith("/api/") || url.startsWith("/services/")) {
            String text = formField(body, "text");
            if (text.isEmpty()) {
                text = body.trim().startsWith("{") ? jsonText(body) : abbreviate(formField(body, "blocks"));
            }
            String channel = formField(body, "channel");
            return when + "  slack " + status + "  " + url.replaceFirst("\\?.*", "")
                    + (channel.isEmpty() ? "" : " " + channel) + "  " + abbreviate(text);
        }
        return when + "  other " + status + "  " + url + "  " + abbreviate(body);
    }

    private String jsonText(String body) {
        try {
            return json.readTree(body).path("text").asString(abbreviate(body));
        } catch (JacksonException e) {
            return abbreviate(body);
        }
    }

    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 197) + "..." : flat;
    }
}
