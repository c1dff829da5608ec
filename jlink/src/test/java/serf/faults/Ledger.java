package serf.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The user events a test sent, and what each node's handler made of them. */
final class Ledger {
    private final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();

    void sent(String name) {
        sent.add(name);
    }

    List<String> sent() {
        return List.copyOf(sent);
    }

    /** Per node: events of {@code expected} its handler never ran, and ones it ran more than once. */
    record Delivery(String node, List<String> missing, List<String> duplicated) {
        boolean clean() {
            return missing.isEmpty() && duplicated.isEmpty();
        }
    }

    static Delivery delivery(FaultAgent a, Collection<String> expected) {
        Map<String, Integer> got = a.userEvents();
        List<String> missing = new ArrayList<>();
        List<String> dup = new ArrayList<>();
        for (String e : expected) {
            int n = got.getOrDefault(e, 0);
            if (n == 0) {
                missing.add(e);
            } else if (n > 1) {
                dup.add(e + "x" + n);
            }
        }
        return new Delivery(a.name(), missing, dup);
    }

    static Map<String, Delivery> deliveries(Collection<FaultAgent> agents, Collection<String> expected) {
        Map<String, Delivery> out = new LinkedHashMap<>();
        agents.forEach(a -> out.put(a.name(), delivery(a, expected)));
        return out;
    }

    /** Waits (bounded) until every agent ran every expected event; false if the time ran out (the report then says what is missing). */
    static boolean awaitDelivered(Collection<FaultAgent> agents, Collection<String> expected, java.time.Duration deadline) {
        try {
            serf.testkit.Poll.until("every event reached every node", deadline, () -> allDelivered(agents, expected));
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    static boolean allDelivered(Collection<FaultAgent> agents, Collection<String> expected) {
        return agents.stream().allMatch(a -> delivery(a, expected).missing().isEmpty());
    }
}
