package dev.switchboard.router.support;

import java.util.List;
import java.util.stream.Collectors;

/** Unleash client payloads in the form the control plane serves (docs/architecture.md), revision in description. */
public final class Features {

    private Features() {}

    public static String feature(String flag, long revision, boolean enabled, int percentage, List<String> allow, List<String> deny) {
        String denyConstraint = "{\"contextName\":\"tenantId\",\"operator\":\"NOT_IN\",\"values\":" + array(deny) + ",\"inverted\":false,\"caseInsensitive\":false}";
        StringBuilder strategies = new StringBuilder("[");
        if (!allow.isEmpty()) {
            strategies.append("{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"100\",\"stickiness\":\"tenantId\",\"groupId\":\"")
                    .append(flag).append("\"},\"constraints\":[{\"contextName\":\"tenantId\",\"operator\":\"IN\",\"values\":")
                    .append(array(allow)).append(",\"inverted\":false,\"caseInsensitive\":false},").append(denyConstraint).append("]},");
        }
        strategies.append("{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"").append(percentage)
                .append("\",\"stickiness\":\"tenantId\",\"groupId\":\"").append(flag).append("\"},\"constraints\":[")
                .append(denyConstraint).append("]}]");
        return "{\"name\":\"" + flag + "\",\"description\":\"rev=" + revision + "\",\"type\":\"release\",\"project\":\"default\",\"enabled\":"
                + enabled + ",\"stale\":false,\"impressionData\":false,\"strategies\":" + strategies + ",\"variants\":[]}";
    }

    public static String payload(long revision, boolean enabled, int percentage, List<String> allow, List<String> deny) {
        return "{\"version\":2,\"features\":[" + feature("voice_agent_v2", revision, enabled, percentage, allow, deny)
                + "],\"meta\":{\"revisionId\":" + revision + "}}";
    }

    private static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
