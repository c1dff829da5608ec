package serf.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loss: a mixed cluster (half ours, half Go) with 10% of the packets into every node dropped, for a
 * while: no node is ever declared failed (every agent's members, sampled, and every handler's
 * member-failed lines), and every user event sent during it reaches every node exactly once.
 */
class LossIT {
    @BeforeAll
    static void bed() {
        Bed.assumeAvailable();
    }

    @Test
    void tenPercentLossDeclaresNobodyFailedAndLosesNoEvent() throws Exception {
        int n = Knobs.integer("loss.nodes", 6);
        int seconds = Knobs.integer("loss.seconds", 40);
        int lossPermille = Knobs.integer("loss.permille", 100);
        try (FaultCluster c = FaultCluster.start("loss", n, i -> i % 2 == 1, i -> List.of())) {
            Ledger ledger = new Ledger();
            c.bed().lossEverywhere(lossPermille);
            Map<String, List<String>> failedSeen = new LinkedHashMap<>();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            int seq = 0;
            int samples = 0;
            while (System.nanoTime() < end) {
                FaultAgent sender = c.agents().get(seq % n);
                String name = "loss-" + seq++;
                if (sender.event(name)) {
                    ledger.sent(name);
                }
                for (FaultAgent a : c.agents()) {
                    a.members().ifPresent(m -> m.forEach((node, status) -> {
                        if (!status.equals("alive")) {
                            failedSeen.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(node + "=" + status);
                        }
                    }));
                }
                samples++;
            }
            c.bed().heal();
            Ledger.awaitDelivered(c.agents(), ledger.sent(), Duration.ofSeconds(90));
            Map<String, Ledger.Delivery> deliveries = Ledger.deliveries(c.agents(), ledger.sent());
            List<List<String>> rows = new ArrayList<>();
            for (FaultAgent a : c.agents()) {
                Ledger.Delivery d = deliveries.get(a.name());
                rows.add(List.of(a.name(), a.kind().toString(), String.valueOf(failedSeen.getOrDefault(a.name(), List.of()).size()),
                        String.valueOf(a.failedEvents()), String.valueOf(d.missing().size()), String.valueOf(d.duplicated().size())));
            }
            Report.table("Loss: " + n + " agents, " + lossPermille / 10.0 + "% loss on every link, " + seconds + " s, "
                    + ledger.sent().size() + " events, " + samples + " member samples per agent",
                    List.of("node", "kind", "non-alive member samples", "member-failed handled", "events lost", "events duplicated"), rows);
            assertThat(failedSeen).as("members listed not alive during the loss").isEmpty();
            assertThat(c.agents()).allSatisfy(a -> assertThat(a.failedLines()).as(a + " member-failed").isEmpty());
            assertThat(deliveries.values()).allSatisfy(d -> assertThat(d.clean()).as(d.toString()).isTrue());
        }
    }
}
