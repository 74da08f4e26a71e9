package dev.switchboard.controlplane.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words and shapes of outgoing messages: Slack Block Kit following the communication templates of docs/rollout.md,
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

    /**
     * The alert message with its buttons: <em>Acknowledge</em>; <em>Roll back this tenant</em> for a tenant
     * alert, <em>Roll back to 0 %</em> and <em>Total rollback</em> for a flag alert (each asks for
     * confirmation in Slack first); <em>Open dashboard</em>. Every button's value is the alert id; the
     * interaction endpoint looks the alert up and acts on its flag and tenant.
     */
    public static Map<String, Object> slackRaised(AlertText a, long alertId) {
        Map<String, Object> out = new LinkedHashMap<>(slackRaised(a));
        List<Object> blocks = new ArrayList<>((List<?>) out.get("blocks"));
        String id = String.valueOf(alertId);
        List<Object> buttons = new ArrayList<>();
        buttons.add(button(ACTION_ACK, "Acknowledge", id, null, null));
        if (a.tenant() != null) {
            buttons.add(button(ACTION_ROLLBACK_TENANT, "Roll back this tenant", id, "danger", confirm(
                    "Roll back tenant " + a.tenant() + "?", "Tenant " + a.tenant() + " goes back to v1 on " + a.flag()
                            + " (deny list) for every router within seconds.", "Roll back")));
        } else {
            buttons.add(button(ACTION_ROLLBACK_PARTIAL, "Roll back to 0 %", id, "danger", confirm(
                    "Roll " + a.flag() + " back to 0 %?", "Every tenant not on the allow list goes back to v1; the "
                            + "flag stays on, so allow-listed canaries keep v2.", "Roll back to 0 %")));
            buttons.add(button(ACTION_ROLLBACK_TOTAL, "Total rollback", id, "danger", confirm(
                    "Total rollback of " + a.flag() + "?", "The flag is switched off: every tenant, allow list "
                            + "included, goes back to v1.", "Roll back everything")));
        }
        buttons.add(openDashboard(a.dashboardUrl()));
        blocks.add(Map.of("type", "actions", "block_id", ACTIONS_BLOCK, "elements", buttons));
        out.put("blocks", blocks);
        return out;
    }

    /** {@code action_id}s of the alert buttons, as the interaction endpoint receives them. */
    public static final String ACTION_ACK = "switchboard_acknowledge";
    public static final String ACTION_ROLLBACK_TENANT = "switchboard_rollback_tenant";
    public static final String ACTION_ROLLBACK_PARTIAL = "switchboard_rollback_partial";
    public static final String ACTION_ROLLBACK_TOTAL = "switchboard_rollback_total";
    public static final String ACTION_OPEN_DASHBOARD = "switchboard_open_dashboard";
    public static final String ACTIONS_BLOCK = "switchboard_actions";

    private static Map<String, Object> button(String actionId, String label, String value, String style,
                                              Map<String, Object> confirm) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", "button");
        b.put("action_id", actionId);
        b.put("text", Map.of("type", "plain_text", "text", label, "emoji", true));
        b.put("value", value);
        if (style != null) {
            b.put("style", style);
        }
        if (confirm != null) {
            b.put("confirm", confirm);
        }
        return b;
    }

    private static Map<String, Object> openDashboard(String url) {
        return Map.of("type", "button", "action_id", ACTION_OPEN_DASHBOARD,
                "text", Map.of("type", "plain_text", "text", "Open dashboard", "emoji", true), "url", url);
    }

    private static Map<String, Object> confirm(String title, String text, String yes) {
        return Map.of("title", Map.of("type", "plain_text", "text", trim(title, 100)),
                "text", Map.of("type", "mrkdwn", "text", trim(text, 300)),
                "confirm", Map.of("type", "plain_text", "text", yes),
                "deny", Map.of("type", "plain_text", "text", "Cancel"),
                "style", "danger");
    }

    public static Map<String, Object> slackResolved(AlertText a) {
        String headline = ":white_check_mark: Resolved: " + a.title();
        String body = "*Recovered:* " + a.trigger() + "\n*Time:* " + a.at()
                + (a.tenant() == null ? "" : "\n*Tenant:* " + a.tenant()) + "\n*Rule:* `" + a.rule() + "`";
        return slack(headline, headline, body, a.dashboardUrl(), "");
    }

    /** The "Rollout Status Update": stage, tenants on v2, v2 error rate and p95 against target, next step. */
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
        Map<String, Object> out = new LinkedHashMap<>(slack(headline + " — stage " + stage + " " + percentage + "%",
                headline, body, dashboardUrl, ":eyes: @oncall-eng"));
        List<Object> blocks = new ArrayList<>((List<?>) out.get("blocks"));
        blocks.add(Map.of("type", "actions", "block_id", ACTIONS_BLOCK, "elements",
                List.of(openDashboard(dashboardUrl))));
        out.put("blocks", blocks);
        return out;
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
        return pagerDutyTrigger(a, dedupKey, null);
    }

    /**
     * The incident's summary ends with {@code [switchboard alert #N]}, so that PagerDuty's webhook (whose
     * incident data does not always carry the dedup key) can be traced back to the alert it acknowledges.
     */
    public static Map<String, Object> pagerDutyTrigger(AlertText a, String dedupKey, Long alertId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        String tag = alertId == null ? "" : " " + pagerDutyTag(alertId);
        payload.put("summary", trim(a.title() + ": " + a.trigger(), 1024 - tag.length()) + tag);
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

    /** How an incident's summary names its alert. */
    public static String pagerDutyTag(long alertId) {
        return "[switchboard alert #" + alertId + "]";
    }

    public static Map<String, Object> pagerDutyEvent(String action, String dedupKey) {
        return Map.of("event_action", action, "dedup_key", dedupKey);
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
