package serf.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One-way partitions and a flapping link: no node may be declared failed more often than Lifeguard
 * allows ({@link Lifeguard#allowedFailures}). A one-way partition between two nodes leaves indirect
 * probes through the others, so it allows none; a node cut off for windows shorter than the minimum
 * suspicion timeout allows none either.
 */
class FlapIT {
    @BeforeAll
    static void bed() {
        Bed.assumeAvailable();
    }

    @Test
    void oneWayPartitionsAndAFlappingNodeStayWithinLifeguardsBound() throws Exception {
        int n = Knobs.integer("flap.nodes", 6);
        int oneWaySeconds = Knobs.integer("flap.oneway-seconds", 15);
        int cycles = Knobs.integer("flap.cycles", 4);
        Duration down = Duration.ofMillis(Knobs.integer("flap.down-millis", 2000));
        Duration up = Duration.ofMillis(Knobs.integer("flap.up-millis", 4000));
        try (FaultCluster c = FaultCluster.start("flap", n, i -> i % 2 == 1, i -> List.of())) {
            NetBed bed = c.bed();
            // One-way: 2 (ours) hears nothing from 1 (Go), 3 (Go) nothing from 4 (ours); replies go the other way.
            bed.faults(2, 0, Set.of(1));
            bed.faults(3, 0, Set.of(4));
            Thread.sleep(oneWaySeconds * 1000L);
            bed.heal();
            long oneWayFailures = c.agents().stream().mapToLong(FaultAgent::failedEvents).sum();

            // Flapping: node 2 (ours) and then node 5 (Go) cut off from everyone, both ways, for `down`, every `down + up`.
            // A window is measured from before the cut to after the heal (an upper bound of the real outage).
            List<Duration> windows = new ArrayList<>();
            for (int k = 0; k < cycles; k++) {
                int flapper = k % 2 == 0 ? 2 : 5;
                long t0 = System.nanoTime();
                bed.isolate(flapper, true);
                Thread.sleep(down.toMillis());
                bed.isolate(flapper, false);
                windows.add(Duration.ofNanos(System.nanoTime() - t0));
                Thread.sleep(up.toMillis());
            }
            Thread.sleep(Lifeguard.maxSuspicionTimeout(n).toMillis()); // any suspicion left runs out
            c.awaitAllAlive(Duration.ofSeconds(60));

            int allowedPerWindowSet = Lifeguard.allowedFailures(windows, n);
            List<List<String>> rows = new ArrayList<>();
            for (FaultAgent a : c.agents()) {
                rows.add(List.of(a.name(), a.kind().toString(), String.valueOf(a.failedEvents()), String.join("; ", a.failedLines())));
            }
            Report.table("One-way partitions (" + oneWaySeconds + " s, 1->2 and 4->3 dropped): " + oneWayFailures
                    + " member-failed in all; flapping: " + cycles + " outages of " + down.toMillis() + " ms (longest "
                    + windows.stream().max(Duration::compareTo).orElse(Duration.ZERO).toMillis() + " ms) every "
                    + (down.plus(up)).toMillis() + " ms; min suspicion timeout " + Lifeguard.minSuspicionTimeout(n).toMillis()
                    + " ms, so Lifeguard allows " + allowedPerWindowSet + " failures per observer",
                    List.of("node", "kind", "member-failed handled", "lines"), rows);
            assertThat(oneWayFailures).as("failures during the one-way partitions").isZero();
            assertThat(c.agents()).allSatisfy(a -> assertThat(a.failedEvents()).as(a.toString())
                    .isLessThanOrEqualTo(allowedPerWindowSet));
        }
    }
}
