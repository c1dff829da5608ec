package serf.sim;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import serf.api.Event;
import serf.api.Member;
import serf.api.MemberStatus;
import serf.api.Serf;

/** Test helper: N Serf nodes in a simulation, recording when each node's sink saw each user event. */
final class SimCluster {
    final Simulation sim;
    final List<Serf> nodes = new ArrayList<>();
    /** event name → node name → virtual nanos at which its sink got it. */
    final Map<String, Map<String, Long>> userEvents = new TreeMap<>();

    SimCluster(Simulation sim) {
        this.sim = sim;
    }

    static String name(int i) {
        return "node-" + i;
    }

    void start(int n, Consumer<serf.api.Config> customize) throws IOException {
        for (int i = 0; i < n; i++) {
            String name = name(nodes.size());
            nodes.add(sim.addSerf(name, c -> {
                c.eventSink(e -> record(name, e));
                customize.accept(c);
            }));
        }
    }

    private void record(String node, Event e) {
        if (e instanceof Event.UserEvent u) {
            userEvents.computeIfAbsent(u.name(), k -> new TreeMap<>()).putIfAbsent(node, sim.elapsed().toNanos());
            sim.note(node + " got " + u.name());
        }
    }

    void joinAllTo(int target) throws Exception {
        String addr = sim.joinAddress(name(target));
        for (int i = 0; i < nodes.size(); i++) {
            if (i != target) {
                nodes.get(i).join(List.of(addr), false);
            }
        }
    }

    /** Members {@code node} sees alive. */
    long aliveSeenBy(Serf node) {
        return node.members().stream().filter(m -> m.status() == MemberStatus.ALIVE).count();
    }

    boolean fullView() {
        for (int i = 0; i < nodes.size(); i++) {
            if (!sim.crashed(name(i)) && aliveSeenBy(nodes.get(i)) != nodes.size()) {
                return false;
            }
        }
        return true;
    }

    /** Status of {@code member} as {@code observer} sees it (null if unknown). */
    MemberStatus statusOf(Serf observer, String member) {
        for (Member m : observer.members()) {
            if (m.name().equals(member)) {
                return m.status();
            }
        }
        return null;
    }

    boolean runUntilFullView(Duration limit) {
        return sim.runUntil(this::fullView, limit);
    }
}
