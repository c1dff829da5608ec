package serf.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import serf.testkit.Poll;

/**
 * Long run: a mixed cluster under steady user events, queries and tag changes, with two members
 * (one ours, one Go) leaving and joining again in turn. The RSS, threads and file descriptors of our
 * stable agents are sampled at a fixed period (table: min / avg / max over them); in the end nothing
 * is lost (every event reached every stable node exactly once) and nobody was declared failed.
 * Short by default; faults-long.sh runs 32 agents for an hour.
 */
class LongRunIT {
    @BeforeAll
    static void bed() {
        Bed.assumeAvailable();
    }

    @Test
    void steadyWorkAndChurnLoseNothingAndOurAgentsStayFlat() throws Exception {
        int n = Knobs.integer("long.nodes", 6);
        int seconds = Knobs.integer("long.seconds", 45);
        int sampleSeconds = Knobs.integer("long.sample-seconds", 15);
        int churnSeconds = Knobs.integer("long.churn-seconds", 15);
        Random random = new Random(Long.getLong("faults.seed", System.nanoTime()));
        try (FaultCluster c = FaultCluster.start("long", n, i -> i % 2 == 1, i -> List.of())) {
            // The last two nodes (one of each kind) churn; the others are stable.
            List<FaultAgent> churners = List.of(c.agent(n - 1), c.agent(n));
            List<FaultAgent> stable = c.agents().subList(0, n - 2);
            List<FaultAgent> ourStable = stable.stream().filter(a -> a.kind() == FaultAgent.Kind.IMAGE).toList();
            Ledger ledger = new Ledger();
            List<String> errors = new CopyOnWriteArrayList<>();
            AtomicInteger queries = new AtomicInteger();
            AtomicInteger tagChanges = new AtomicInteger();
            AtomicInteger churns = new AtomicInteger();
            AtomicInteger uncleanLeaves = new AtomicInteger();
            List<List<String>> rows = new ArrayList<>();
            List<long[]> maxima = new ArrayList<>();

            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(seconds).toNanos();
            long nextSample = t0;
            long nextChurn = t0 + Duration.ofSeconds(churnSeconds).toNanos();
            long nextQuery = t0;
            long nextTags = t0;
            int seq = 0;
            int churnTurn = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    List<ProcSample> s = new ArrayList<>();
                    ourStable.forEach(a -> ProcSample.of(a.process().pid()).ifPresent(s::add));
                    maxima.add(new long[] {s.stream().mapToLong(ProcSample::rssKb).max().orElse(0),
                            s.stream().mapToLong(ProcSample::threads).max().orElse(0),
                            s.stream().mapToLong(ProcSample::fds).max().orElse(0)});
                    List<String> row = new ArrayList<>(List.of(String.format("%.1f", (now - t0) / 60e9)));
                    row.addAll(ProcSample.summary(s));
                    row.add(String.valueOf(ledger.sent().size()));
                    rows.add(row);
                    nextSample += Duration.ofSeconds(sampleSeconds).toNanos();
                }
                if (now >= end) {
                    break;
                }
                FaultAgent from = stable.get(random.nextInt(stable.size()));
                String name = "l" + seq++;
                if (from.event(name)) {
                    ledger.sent(name);
                } else {
                    errors.add("event " + name + " from " + from + " not sent");
                }
                if (now >= nextQuery) {
                    if (stable.get(random.nextInt(stable.size())).rpc("query", "-timeout=2s", "long-q").ok()) {
                        queries.incrementAndGet();
                    }
                    nextQuery = now + Duration.ofSeconds(10).toNanos();
                }
                if (now >= nextTags) {
                    if (stable.get(random.nextInt(stable.size())).rpc("tags", "-set", "seq=" + seq).ok()) {
                        tagChanges.incrementAndGet();
                    }
                    nextTags = now + Duration.ofSeconds(5).toNanos();
                }
                if (now >= nextChurn) {
                    FaultAgent a = churners.get(churnTurn++ % 2);
                    // A graceful leave; the agent ends by itself. One that does not leave in time is killed,
                    // and then may rightly be declared failed: such leaves are counted, not held against anyone.
                    if (!a.rpc("leave").ok() | !a.awaitExit(Duration.ofSeconds(20))) {
                        uncleanLeaves.incrementAndGet();
                    }
                    a.kill();
                    Thread.ofVirtual().name("long-churn").start(() -> {
                        try {
                            a.start(List.of(c.agent(1).joinAddress()));
                            churns.incrementAndGet();
                        } catch (Exception e) {
                            errors.add("rejoin of " + a + ": " + e);
                        }
                    });
                    nextChurn = now + Duration.ofSeconds(churnSeconds).toNanos();
                }
                Thread.sleep(1000);
            }
            try {
                Poll.until("every member alive again", Duration.ofSeconds(90), () -> c.agents().stream()
                        .allMatch(a -> a.isAlive() && a.sees(c.names(), "alive")));
            } catch (AssertionError e) {
                // Say who sees what (and who is not running), and what went wrong on the way: a failure here
                // must be explainable from the report alone (the agents' logs are overwritten by a rerun).
                List<String> views = new ArrayList<>();
                for (FaultAgent a : c.agents()) {
                    views.add(a + (a.isAlive() ? "" : " (not running)") + " sees " + a.members()
                            .map(m -> m.entrySet().stream().filter(x -> !"alive".equals(x.getValue())).toList().toString()
                                    + " not alive, " + m.size() + " listed")
                            .orElse("nothing (RPC does not answer)"));
                }
                throw new AssertionError(e.getMessage() + "; views: " + views + "; errors: " + errors, e);
            }
            Ledger.awaitDelivered(stable, ledger.sent(), Duration.ofSeconds(90));
            Map<String, Ledger.Delivery> deliveries = Ledger.deliveries(stable, ledger.sent());
            long lost = deliveries.values().stream().mapToLong(d -> d.missing().size()).sum();
            long dup = deliveries.values().stream().mapToLong(d -> d.duplicated().size()).sum();
            List<String> churnerNames = churners.stream().map(FaultAgent::name).toList();
            // A stable node declared failed is a false failure; a churner only after an unclean leave.
            List<String> falseFailures = c.agents().stream().flatMap(a -> a.failedLines().stream())
                    .filter(l -> churnerNames.stream().noneMatch(ch -> l.startsWith("member-failed " + ch + "\t")
                            || l.startsWith("member-failed " + ch + " "))).toList();
            long failed = falseFailures.size();
            long churnerFailed = c.agents().stream().mapToLong(FaultAgent::failedEvents).sum() - failed;
            Report.table("Long run: " + n + " agents (" + c.ours().size() + " ours, " + ourStable.size() + " sampled), "
                    + seconds + " s, " + ledger.sent().size() + " events, " + queries.get() + " queries, " + tagChanges.get()
                    + " tag changes, " + churns.get() + " leave+rejoin; events lost " + lost + ", duplicated " + dup
                    + ", stable nodes declared failed " + failed + " (churners: " + churnerFailed + " after " + uncleanLeaves.get()
                    + " unclean leaves) (our agents: min / avg / max)",
                    List.of("minute", "RSS MB", "threads", "fds", "events sent"), rows);
            assertThat(errors).isEmpty();
            assertThat(lost).as("events lost on stable nodes").isZero();
            assertThat(dup).as("events duplicated on stable nodes").isZero();
            assertThat(falseFailures).as("stable nodes declared failed").isEmpty();
            for (FaultAgent a : churners) {
                assertThat(Ledger.delivery(a, ledger.sent()).duplicated()).as(a + " duplicated").isEmpty();
            }
            // Flat: over runs with enough samples, the later half's typical maximum stays near the earlier half's
            // (a sample can catch a handler's pipes or a push-pull connection open, so single samples are not compared).
            if (maxima.size() >= 6) {
                List<long[]> early = maxima.subList(0, maxima.size() / 2);
                List<long[]> late = maxima.subList(maxima.size() / 2, maxima.size());
                for (int k = 0; k < 3; k++) {
                    long e = median(early, k);
                    long l = median(late, k);
                    assertThat(l).as(List.of("RSS KB", "threads", "fds").get(k) + " median of the later samples' maxima vs the earlier")
                            .isLessThanOrEqualTo(e + e / 4 + 8);
                }
            }
        }
    }

    private static long median(List<long[]> samples, int k) {
        long[] v = samples.stream().mapToLong(x -> x[k]).sorted().toArray();
        return v[v.length / 2];
    }
}
