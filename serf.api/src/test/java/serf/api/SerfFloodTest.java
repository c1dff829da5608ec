package serf.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.crypto.Keyring;
import serf.memberlist.Node;
import serf.memberlist.NodeState;
import serf.testkit.Poll;
import serf.testkit.ThreadNames;

/**
 * Floods a node the way a hostile peer could (internal queries, forged alives carrying its name,
 * queries with far deadlines, more events than its application takes) and checks that threads
 * and memory stay bounded, the drops are counted in stats(), and the node stays a healthy member.
 */
class SerfFloodTest {
    private static final byte[] KEY = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static long stat(Serf s, String key) {
        return Long.parseLong(s.stats().get(key));
    }

    private static void assertAliveEverywhere(SerfCluster c, String node) {
        for (Serf s : c.nodes) {
            assertThat(SerfCluster.statusOf(s, node)).as(node + " seen by " + s.config().nodeName()).isEqualTo(MemberStatus.ALIVE);
        }
    }

    @Test
    void aFloodOfInternalQueriesIsServedByOneBoundedWorkerAndTheRestIsCounted(@TempDir Path dir) throws Exception {
        try (SerfCluster c = new SerfCluster(41)) {
            for (String n : List.of("a", "b", "t")) {
                c.add(n, cfg -> {
                    cfg.memberlistConfig().keyring(Keyring.of(List.of(), KEY));
                    // Each install-key rewrites the keyring file (fsync), so the worker is slower than the flood.
                    return n.equals("t") ? cfg.keyringFile(dir.resolve("keyring").toString()) : cfg;
                });
            }
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            Serf a = c.nodes.get(0);
            Serf t = c.nodes.get(2);
            var from = a.memberlist().advertiseAddress();
            byte[] payload = SerfCodec.encode(new SerfMessage.KeyRequest(KEY));
            long lTime = stat(t, "query_time");
            int maxThreads = 0;
            for (int i = 0; i < 3000; i++) {
                // LTimes stay within the query buffer's window so later real queries are not "old".
                SerfMessage.Query q = new SerfMessage.Query(lTime + i % 300, i, from.getAddress().getAddress(), from.getPort(), "a",
                        null, SerfMessage.Query.FLAG_NO_BROADCAST, 0, Duration.ofSeconds(30).toNanos(),
                        InternalQueries.INSTALL_KEY, payload);
                t.delegate().notifyMsg(SerfCodec.encode(q));
                if (i % 500 == 0) {
                    maxThreads = Math.max(maxThreads, ThreadNames.liveStartingWith("serf-t-work").size());
                }
            }
            // One drain task answers them one at a time (the event delivery and a reconnect may run beside it).
            assertThat(maxThreads).isLessThanOrEqualTo(3);
            assertThat(ThreadNames.liveStartingWith("serf-t-timer")).hasSize(1); // the node's one timer
            assertThat(stat(t, "internal_queries_dropped")).isPositive().isLessThanOrEqualTo(3000 - 1);
            assertThat(t.dropCounts().internalQueries()).isEqualTo(stat(t, "internal_queries_dropped"));
            assertThat(Files.exists(dir.resolve("keyring"))).isTrue();
            // The node still serves: it acks a query and stays alive everywhere.
            QueryResponse r = a.query("still-there", null, a.defaultQueryParams().withAck(true).withTimeout(Duration.ofSeconds(3)));
            assertThat(r.awaitAcks()).contains("t");
            assertAliveEverywhere(c, "t");
        }
    }

    @Test
    void aFloodOfForgedAlivesWithOurNameStartsOneConflictQuery() throws Exception {
        try (SerfCluster c = new SerfCluster(42)) {
            for (String n : List.of("a", "b", "t")) {
                c.add(n);
            }
            c.joinAll();
            c.awaitAllAlive(3, Duration.ofSeconds(10));
            Serf t = c.nodes.get(2);
            Node us = t.memberlist().localNode();
            long queryTime = stat(t, "query_time");
            List<Thread> floods = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                int base = th;
                floods.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 250; i++) {
                        byte[] forgedIp = {10, 9, (byte) base, (byte) i};
                        try {
                            Node forged = new Node("t", java.net.InetAddress.getByAddress(forgedIp), 7946, new byte[0],
                                    NodeState.ALIVE, 1, 5, 2, 2, 5, 5);
                            t.nameConflicts().notifyConflict(us, forged);
                        } catch (java.net.UnknownHostException e) {
                            throw new AssertionError(e);
                        }
                    }
                }));
            }
            for (Thread th : floods) {
                th.join();
            }
            assertThat(stat(t, "conflicts_dropped")).isEqualTo(999);
            Poll.until("the one resolution to finish", Duration.ofSeconds(20), () -> !t.nameConflicts().resolving());
            // One cluster-wide query was sent, the others agreed it is us, and we stay.
            assertThat(stat(t, "query_time") - queryTime).isEqualTo(1);
            assertThat(t.state()).isEqualTo(SerfState.ALIVE);
            assertAliveEverywhere(c, "t");
        }
    }

    @Test
    void queryTimeoutsFireOnTheNodesOneSchedulerWhichEndsWithTheNode() throws Exception {
        try (SerfCluster c = new SerfCluster(43)) {
            c.add("a");
            c.add("t");
            c.joinAll();
            c.awaitAllAlive(2, Duration.ofSeconds(10));
            Serf t = c.nodes.get(1);
            List<QueryResponse> short_ = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                short_.add(t.query("short-" + i, null, t.defaultQueryParams().withTimeout(Duration.ofMillis(300))));
            }
            QueryResponse longOne = t.query("long", null, t.defaultQueryParams().withTimeout(Duration.ofHours(1)));
            assertThat(ThreadNames.liveStartingWith("serf-query-timeout")).isEmpty();
            assertThat(ThreadNames.liveStartingWith("serf-t-timer")).hasSize(1);
            Poll.until("the short queries to time out", Duration.ofSeconds(5), () -> short_.stream().allMatch(QueryResponse::finished));
            assertThat(longOne.finished()).isFalse();
            long t0 = System.nanoTime();
            t.shutdown();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            assertThat(longOne.finished()).isTrue();
            assertThat(ThreadNames.liveStartingWith("serf-t-timer")).isEmpty();
            Poll.until("the node's work threads to end", Duration.ofSeconds(5),
                    () -> ThreadNames.liveStartingWith("serf-t-work").isEmpty());
        }
    }

    @Test
    void openQueriesAreCappedAndTheRefusalsCounted() throws Exception {
        try (SerfCluster c = new SerfCluster(44)) {
            Serf t = c.add("t");
            List<QueryResponse> open = new ArrayList<>();
            for (int i = 0; i < Queries.MAX_OPEN_QUERIES; i++) {
                open.add(t.query("q", null, t.defaultQueryParams().withTimeout(Duration.ofMinutes(10))));
            }
            assertThatThrownBy(() -> t.query("q", null, t.defaultQueryParams().withTimeout(Duration.ofMinutes(10))))
                    .isInstanceOf(SerfException.class).hasMessageContaining("too many open queries");
            assertThat(stat(t, "queries_refused")).isEqualTo(1);
            open.get(0).close();
            t.query("q", null, t.defaultQueryParams().withTimeout(Duration.ofMinutes(10))).close();
        }
    }

    @Test
    void eventsASlowSinkCannotTakeAreDroppedCountedAndVisibleInStats() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (SerfCluster c = new SerfCluster(45)) {
            c.add("a");
            Serf slow = c.add("slow", cfg -> cfg.eventSinkBuffer(4).eventSink(e -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }));
            c.joinAll();
            c.awaitAllAlive(2, Duration.ofSeconds(10));
            Serf a = c.nodes.get(0);
            for (int i = 0; i < 40; i++) {
                a.userEvent("ev-" + i, null, false);
            }
            Poll.until("drops on the slow node", Duration.ofSeconds(10), () -> stat(slow, "events_dropped") > 0);
            assertThat(slow.dropCounts().events()).isPositive();
            assertThat(slow.stats()).containsKeys("events_dropped", "internal_queries_dropped", "conflicts_dropped",
                    "query_responses_dropped", "event_buffer_dropped", "query_buffer_dropped", "intents_dropped",
                    "queries_refused", "snapshot_events_dropped");
            assertThat(stat(a, "events_dropped")).isZero();
            assertAliveEverywhere(c, "slow");
            release.countDown();
        } finally {
            release.countDown();
        }
    }

    @Test
    void membersThatDoNotExistCannotPileUpPastMaxNodesAsFailedMembers() throws Exception {
        try (SerfCluster c = new SerfCluster(43)) {
            Serf t = c.add("t", cfg -> {
                cfg.memberlistConfig().maxNodes(10);
                return cfg;
            });
            // Announced, then failed: memberlist forgets them soon, Serf keeps them for a day unless full.
            for (int i = 0; i < 50; i++) {
                Node fake = new Node("fake-" + i, java.net.InetAddress.getByAddress(new byte[] {127, 9, 0, (byte) i}), 7946,
                        new byte[0], serf.memberlist.NodeState.DEAD, 2, 5, 5, 2, 5, 5);
                t.memberTracker().nodeJoined(fake);
                t.memberTracker().nodeLeft(fake);
            }
            assertThat(t.members()).hasSizeLessThanOrEqualTo(10);
            assertThat(t.members()).extracting(Member::name).contains("t", "fake-49");
            assertThat(stat(t, "members_evicted")).isEqualTo(50 - 9);
            assertThat(t.dropCounts().membersEvicted()).isEqualTo(41);
            assertThat(SerfCluster.statusOf(t, "t")).isEqualTo(MemberStatus.ALIVE);
        }
    }
}
