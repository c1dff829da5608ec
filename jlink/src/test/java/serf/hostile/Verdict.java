package serf.hostile;

import java.util.List;

/**
 * What one attack class did to the agent: whether it passed every check (alive, answers RPC, seen
 * alive by its Go peer, a new node can join it, peak RSS within the bound), the peak RSS and the CPU
 * time the agent used (-1: unknown, it died), and what the attack's connections saw.
 */
record Verdict(String attackClass, Agent.Kind target, List<String> failures, long peakRssKb, long cpuMillis,
               String attack) {

    boolean survived() {
        return failures.isEmpty();
    }

    String outcome() {
        return survived() ? "survived" : String.join("; ", failures);
    }

    /** The table line: {@code [hostile] class | outcome | peakRSS MB | cpu s}. */
    String tableLine() {
        return String.format("[hostile] %-34s | %-60s | %6.1f | %5s", attackClass, outcome(), peakRssKb / 1024.0,
                cpuMillis < 0 ? "-" : String.format("%.1f", cpuMillis / 1000.0));
    }

    static String tableHeader(Agent.Kind target) {
        return String.format("[hostile] %-34s | %-60s | %6s | %5s   (target: %s)", "class", "outcome", "peakMB", "cpu s",
                target == Agent.Kind.IMAGE ? "our agent, runtime image" : "Go agent /usr/bin/serf");
    }
}
