package serf.agent.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import serf.agent.metrics.AgentMetrics;
import serf.api.Serf;

/** The agent's {@code stats} answer ({@code serf info}). */
final class AgentStats {
    /** The keys of Go's serf.Stats() (serf 0.9.4), in the "serf" section as Go shows them. */
    private static final Set<String> GO_SERF_KEYS = Set.of("members", "failed", "left", "health_score",
            "member_time", "event_time", "query_time", "intent_queue", "event_queue", "query_queue",
            "encrypted", "coordinate_resets");

    private AgentStats() {
    }

    /**
     * Go's sections ({@code agent}, {@code runtime}, {@code serf}, {@code tags}, {@code event_handlers})
     * with exactly their keys, plus ours, {@code limits}: what the agent's bounds refused or dropped.
     */
    static Map<String, Map<String, String>> of(Serf serf, AgentBackend agent, Map<String, String> serverLimits) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put("agent", Map.of("name", serf.config().nodeName()));
        Runtime rt = Runtime.getRuntime();
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("os", System.getProperty("os.name", "").toLowerCase(Locale.ROOT));
        runtime.put("arch", goArch(System.getProperty("os.arch", "")));
        runtime.put("version", "java" + Runtime.version());
        runtime.put("max_procs", Integer.toString(rt.availableProcessors()));
        // Live platform threads (virtual threads are not enumerable; Thread.activeCount() is 0 on one).
        runtime.put("goroutines", Integer.toString(Thread.getAllStackTraces().size()));
        runtime.put("cpu_count", Integer.toString(rt.availableProcessors()));
        out.put("runtime", runtime);
        // Serf's stats carry Go's keys and our drop counters: Go's go to "serf", the rest to "limits".
        Map<String, String> serfStats = new LinkedHashMap<>();
        Map<String, String> serfDrops = new LinkedHashMap<>();
        serf.stats().forEach((k, v) -> (GO_SERF_KEYS.contains(k) ? serfStats : serfDrops).put(k, v));
        out.put("serf", serfStats);
        out.put("tags", serf.tags());
        out.put("event_handlers", agent.eventHandlerStats());
        // Not in Go's agent: what the agent's bounds refused or dropped (a section of its own, so Go's
        // sections keep exactly their keys).
        Map<String, String> bounds = new LinkedHashMap<>(serverLimits);
        bounds.putAll(agent.limitStats());
        bounds.putAll(serfDrops);
        out.put("limits", bounds);
        // Not in Go's agent either: the node's metrics under Go's names (serf.member.join, memberlist.gossip, ...).
        out.put("metrics", AgentMetrics.statsSection(serf.metrics().snapshot()));
        return out;
    }

    private static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> javaArch;
        };
    }
}
