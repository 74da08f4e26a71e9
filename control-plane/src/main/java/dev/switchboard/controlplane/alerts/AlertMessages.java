package dev.switchboard.controlplane.alerts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words and shapes of outgoing messages: Slack Block Kit in the spirit of the rollout spec's templates,
 * and PagerDuty Events API v2 bodies (without the routing key, which is added when sending so that it never
 * sits in the database).
 */
public final class AlertMessages {

    private AlertMessages() {
    }

    /** What an alert is about, for both sinks. */
    public record AlertText(String flag, String tenant, String severity, String rule, String title, String trigger,
                            String action, Instant at, String dashboardUrl, Map<String, Object> details) {
    }

    public static Map<String, Object> slackRaised(AlertText a) {
        String icon = "critical".equals(a.severity()) ? ":rotating_light:" : ":warning:";
        String headline = icon + " " + a.title();
        String body = "*Trigger:* " + a.trigger() + "\n*Action:* " + a.action() + "\n*Time:* " + a.at()
                + (a.tenant() == null ? "" : "\n*Tenant:* " + a.tenant())
                + "\n*Rule:* `" + a.rule() + "`  *Severity:* " + a.severity();
        return slack(headline + " — " + a.trigger(), headline, body, a.dashboardUrl(),
                "critical".equals(a.severity()) ? ":sos: @oncall-eng" : ":eyes: @oncall-eng");
    }

    public static Map<String, Object> slackResolved(AlertText a) {
        String headline = ":white_check_mark: Resolved: " + a.title();
        String body = "*Recovered:* " + a.trigger() + "\n*Time:* " + a.at()
                + (a.tenant() == null ? "" : "\n*Tenant:* " + a.tenant()) + "\n*Rule:* `" + a.rule() + "`";
        return slack(headline, headline, body, a.dashboardUrl(), "");
    }

    /** The seed's "Rollout Status Update": stage, tenants on v2, v2 error rate and p95 against target, next step. */
    public static Map<String, Object> slackStatus(String flag, String stage, int percentage, int tenantsOnV2,
                                                  int tenantsTotal, double errorRate, double errorTarget, double p95,
                                                  double p95Target, long callsInWindow, String next, String by,
                                                  String dashboardUrl) {
        boolean healthy = errorRate < errorTarget && p95 < p95Target;
        String headline = ":rocket: Voice Agent V2 Rollout Update (" + flag + ")";
        String body = "*Status:* " + (healthy ? ":green_circle: Healthy" : ":red_circle: Attention") + "\n"
                + "*Stage:* " + stage + " — " + percentage + "% (" + tenantsOnV2 + "/" + tenantsTotal + " tenants)\n"
                + "*Metrics (V2):*\n"
                + "• Error Rate: " + String.format(java.util.Locale.ROOT, "%.2f%%", errorRate * 100)
                + " (target <" + String.format(java.util.Locale.ROOT, "%.0f%%", errorTarget * 100) + ")\n"
                + "• p95 Latency: " + Math.round(p95) + "ms (target <" + Math.round(p95Target) + "ms)\n"
                + "• Requests in the last stage window: " + callsInWindow + "\n"
                + "*Next Step:* " + next + "\n*By:* " + by;
        return slack(headline + " — stage " + stage + " " + percentage + "%", headline, body, dashboardUrl,
                ":eyes: @oncall-eng");
    }

    private static Map<String, Object> slack(String text, String header, String body, String link, String context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", text);
        out.put("blocks", List.of(
                Map.of("type", "header", "text", Map.of("type", "plain_text", "text", trim(header, 150), "emoji", true)),
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", trim(body, 3000))),
                Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                        "text", "<" + link + "|Open in Switchboard>" + (context.isEmpty() ? "" : "  " + context))))));
        return out;
    }

    public static Map<String, Object> pagerDutyTrigger(AlertText a, String dedupKey) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", trim(a.title() + ": " + a.trigger(), 1024));
        payload.put("source", "switchboard-guard");
        payload.put("severity", "critical".equals(a.severity()) ? "critical" : "warning");
        payload.put("timestamp", a.at().toString());
        payload.put("component", a.flag());
        payload.put("group", "voice-agent-rollout");
        payload.put("class", a.rule());
        Map<String, Object> details = new LinkedHashMap<>(a.details());
        details.put("action", a.action());
        if (a.tenant() != null) {
            details.put("tenant", a.tenant());
        }
        payload.put("custom_details", details);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event_action", "trigger");
        out.put("dedup_key", dedupKey);
        out.put("payload", payload);
        out.put("client", "Switchboard");
        out.put("client_url", a.dashboardUrl());
        out.put("links", List.of(Map.of("href", a.dashboardUrl(), "text", "Switchboard dashboard: " + a.flag())));
        return out;
    }

    public static Map<String, Object> pagerDutyEvent(String action, String dedupKey) {
        return Map.of("event_action", action, "dedup_key", dedupKey);
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
