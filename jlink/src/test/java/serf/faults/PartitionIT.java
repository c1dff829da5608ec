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
            // A query during the split: its own side answers, and it ends at its timeout. A query is
            // gossiped like any broadcast (a few transmits, relay factor 0), and right after the split
            // the other side's nodes are still gossip targets (GossipToTheDeadTime, 30 s): with three
            // live and three just-failed nodes a live one misses it about one time in ten, in Go's
            // agent as in ours. So it is asked up to three times; every attempt must stay on its side
            // and end at its timeout, and one of them must reach the whole side.
            List<QueryAttempt> attempts = new ArrayList<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                long q0 = System.nanoTime();
                Sh.Result q = a.getFirst().rpc("query", "-timeout=4s", "during-split-" + attempt);
                attempts.add(new QueryAttempt(q, responders(q.out()), Duration.ofNanos(System.nanoTime() - q0)));
                if (Set.copyOf(attempts.getLast().responders()).equals(Set.copyOf(aNames))) {
                    break;
                }
            }
            List<String> responders = attempts.getLast().responders();
            Duration queryTook = attempts.getLast().took();
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
                    + toHeal.toMillis() / 1000.0 + " s; query on side A answered by " + responders + " (attempt " + attempts.size() + ") in "
                    + queryTook.toMillis() / 1000.0 + " s; " + ledger.sent().size() + " events",
                    List.of("node", "kind", "side", "member-failed handled", "events lost", "events duplicated"), rows);

            for (QueryAttempt q : attempts) {
                assertThat(q.result().ok()).as(q.result().out()).isTrue();
                assertThat(aNames).as("query responders during the split").containsAll(q.responders());
                assertThat(q.responders()).doesNotHaveDuplicates();
                assertThat(q.took()).as("the query ends at its timeout").isBetween(Duration.ofMillis(3500), Duration.ofSeconds(10));
            }
            assertThat(Set.copyOf(responders)).as("query responders during the split, attempt " + attempts.size() + " of 3")
                    .isEqualTo(Set.copyOf(aNames));
            assertThat(deliveries.values()).allSatisfy(d -> assertThat(d.clean()).as(d.toString()).isTrue());
        }
    }

    private record QueryAttempt(Sh.Result result, List<String> responders, Duration took) {
    }

    private static List<String> responders(String out) {
        List<String> names = new ArrayList<>();
        Matcher m = RESPONSE.matcher(out);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
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
