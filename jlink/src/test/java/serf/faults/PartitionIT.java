package serf.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/**
 * Partition and heal: a mixed cluster split in two halves (each half mixed) for longer than the
 * suspicion timeout. Each side marks the other failed; user events are sent on both sides during the
 * split; a query on one side gets exactly its own side's responses and ends at its timeout; after the
 * heal every node sees every member alive and every event (before, during, after) was handled exactly
 * once on every node.
 */
class PartitionIT {
    private static final Pattern RESPONSE = Pattern.compile("Response from '([^']+)'");

    @BeforeAll
    static void bed() {
        Bed.assumeAvailable();
    }

    @Test
    void splitSidesMarkEachOtherFailedAndHealWithEveryEventOnce() throws Exception {
        int n = Knobs.integer("partition.nodes", 6);
        int extraSplitSeconds = Knobs.integer("partition.extra-seconds", 5);
        // Serf's reconnect (every 5 s here) brings the sides back together after the heal.
        try (FaultCluster c = FaultCluster.start("partition", n, i -> i % 2 == 1,
                i -> List.of("-config-file=" + configFile()))) {
            Ledger ledger = new Ledger();
            c.agent(1).event("before-split");
            ledger.sent("before-split");

            Set<Integer> sideA = new LinkedHashSet<>();
            for (int i = 1; i <= n / 2; i++) {
                sideA.add(i);
            }
            List<FaultAgent> a = c.agents().stream().filter(x -> sideA.contains(x.index())).toList();
            List<FaultAgent> b = c.agents().stream().filter(x -> !sideA.contains(x.index())).toList();
            List<String> aNames = a.stream().map(FaultAgent::name).toList();
            List<String> bNames = b.stream().map(FaultAgent::name).toList();

            long split = System.nanoTime();
            c.bed().partition(sideA);
            for (int k = 0; k < 2; k++) {
                send(ledger, a.get(k % a.size()), "split-a-" + k);
                send(ledger, b.get(k % b.size()), "split-b-" + k);
            }
            Duration toFail = Poll.timeUntil("each side marks the other failed", Duration.ofSeconds(90),
                    () -> a.stream().allMatch(x -> x.sees(bNames, "failed"))
                            && b.stream().allMatch(x -> x.sees(aNames, "failed")));
            // A query during the split: its own side answers, and it ends at its timeout.
            long q0 = System.nanoTime();
            Sh.Result q = a.getFirst().rpc("query", "-timeout=4s", "during-split");
            Duration queryTook = Duration.ofNanos(System.nanoTime() - q0);
            List<String> responders = new ArrayList<>();
            Matcher m = RESPONSE.matcher(q.out());
            while (m.find()) {
                responders.add(m.group(1));
            }
            for (int k = 2; k < 4; k++) {
                send(ledger, a.get(k % a.size()), "split-a-" + k);
                send(ledger, b.get(k % b.size()), "split-b-" + k);
            }
            Thread.sleep(extraSplitSeconds * 1000L);
            Duration splitFor = Duration.ofNanos(System.nanoTime() - split);

            c.bed().heal();
            Duration toHeal = Poll.timeUntil("every node sees every member alive again", Duration.ofSeconds(120),
                    () -> c.agents().stream().allMatch(x -> x.sees(c.names(), "alive")));
            send(ledger, c.agent(2), "after-heal");
            Ledger.awaitDelivered(c.agents(), ledger.sent(), Duration.ofSeconds(90));
            Map<String, Ledger.Delivery> deliveries = Ledger.deliveries(c.agents(), ledger.sent());

            List<List<String>> rows = new ArrayList<>();
            for (FaultAgent x : c.agents()) {
                Ledger.Delivery d = deliveries.get(x.name());
                rows.add(List.of(x.name(), x.kind().toString(), sideA.contains(x.index()) ? "A" : "B",
                        String.valueOf(x.failedEvents()), String.valueOf(d.missing().size()),
                        String.valueOf(d.duplicated().size())));
            }
            Report.table("Partition: " + n + " agents split " + a.size() + "/" + b.size() + " for " + splitFor.toSeconds()
                    + " s (other side failed after " + toFail.toMillis() / 1000.0 + " s); healed in "
                    + toHeal.toMillis() / 1000.0 + " s; query on side A answered by " + responders + " in "
                    + queryTook.toMillis() / 1000.0 + " s; " + ledger.sent().size() + " events",
                    List.of("node", "kind", "side", "member-failed handled", "events lost", "events duplicated"), rows);

            assertThat(q.ok()).as(q.out()).isTrue();
            assertThat(Set.copyOf(responders)).as("query responders during the split").isEqualTo(Set.copyOf(aNames));
            assertThat(responders).doesNotHaveDuplicates();
            assertThat(queryTook).as("the query ends at its timeout").isBetween(Duration.ofMillis(3500), Duration.ofSeconds(10));
            assertThat(deliveries.values()).allSatisfy(d -> assertThat(d.clean()).as(d.toString()).isTrue());
        }
    }

    private static void send(Ledger ledger, FaultAgent from, String name) {
        assertThat(from.event(name)).as("event " + name + " sent from " + from).isTrue();
        ledger.sent(name);
    }

    private static String configFile() {
        try {
            java.nio.file.Path f = java.nio.file.Path.of("target", "faults", "reconnect-5s.json").toAbsolutePath();
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(f, "{\"reconnect_interval\": \"5s\"}\n");
            return f.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
