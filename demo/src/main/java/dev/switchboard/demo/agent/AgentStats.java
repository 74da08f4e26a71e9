package dev.switchboard.demo.agent;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests the agent answered, by provider path and status, so the demo can show who got the traffic. */
public final class AgentStats {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String path, int status) {
        counts.computeIfAbsent(path + " " + status, k -> new LongAdder()).increment();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long withStatus(int status) {
        return counts.entrySet().stream().filter(e -> e.getKey().endsWith(" " + status))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    String toJson(String variant) {
        StringBuilder sb = new StringBuilder("{\"variant\":\"").append(variant).append("\",\"total\":").append(total())
                .append(",\"byPathAndStatus\":{");
        String sep = "";
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(counts).entrySet()) {
            sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue().sum());
            sep = ",";
        }
        return sb.append("}}").toString();
    }
}
