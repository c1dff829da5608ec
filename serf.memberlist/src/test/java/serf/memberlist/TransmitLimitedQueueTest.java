package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TransmitLimitedQueueTest {

    private record Named(String name, byte[] message, AtomicInteger count) implements NamedBroadcast {
        Named(String name, String msg) {
            this(name, msg.getBytes(StandardCharsets.UTF_8), new AtomicInteger());
        }

        @Override
        public boolean invalidates(Broadcast other) {
            return false;
        }

        @Override
        public void finished() {
            count.incrementAndGet();
        }
    }

    private record Unique(byte[] message, AtomicInteger count) implements UniqueBroadcast {
        Unique(String msg) {
            this(msg.getBytes(StandardCharsets.UTF_8), new AtomicInteger());
        }

        @Override
        public boolean invalidates(Broadcast other) {
            return true; // must never be consulted for unique broadcasts
        }

        @Override
        public void finished() {
            count.incrementAndGet();
        }
    }

    private static List<String> strings(List<byte[]> msgs) {
        List<String> out = new ArrayList<>();
        msgs.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void retransmitLimitFollowsGoFormula() {
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 0)).isZero();
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 1)).isEqualTo(4);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 3)).isEqualTo(4);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 9)).isEqualTo(4);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 10)).isEqualTo(8);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 99)).isEqualTo(8);
        assertThat(TransmitLimitedQueue.retransmitLimit(4, 100)).isEqualTo(12);
    }

    @Test
    void namedBroadcastReplacesQueuedOneWithSameName() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 3, 4);
        Named first = new Named("node-a", "alive-1");
        q.queueBroadcast(first);
        q.queueBroadcast(new Named("node-b", "alive-b"));
        q.queueBroadcast(new Named("node-a", "dead-1"));
        assertThat(q.numQueued()).isEqualTo(2);
        assertThat(first.count().get()).isEqualTo(1);
        assertThat(strings(q.getBroadcasts(2, 1000))).containsExactlyInAnyOrder("dead-1", "alive-b");
    }

    @Test
    void uniqueBroadcastsNeverInvalidate() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 3, 4);
        q.queueBroadcast(new Unique("e1"));
        q.queueBroadcast(new Unique("e2"));
        assertThat(q.numQueued()).isEqualTo(2);
    }

    @Test
    void leastSentFirstThenLargestThatFits() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 10, 4);
        q.queueBroadcast(new Unique("aaaaaaaaaa")); // 10
        q.queueBroadcast(new Unique("bbbbb"));      // 5
        q.queueBroadcast(new Unique("ccccccc"));    // 7
        // Budget 2+10 + 2+7 = 21 fits the 10 and the 7, not the 5 after them (2+5 > 24-21).
        assertThat(strings(q.getBroadcasts(2, 24))).containsExactly("aaaaaaaaaa", "ccccccc");
        // Now the 5 has been sent least: it goes first.
        assertThat(strings(q.getBroadcasts(2, 7))).containsExactly("bbbbb");
    }

    @Test
    void messageLeavesQueueAfterRetransmitLimitAndIsFinishedOnce() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 3, 2); // limit 2 × ceil(log10 4) = 2
        Unique u = new Unique("x");
        q.queueBroadcast(u);
        assertThat(q.getBroadcasts(2, 100)).hasSize(1);
        assertThat(u.count().get()).isZero();
        assertThat(q.getBroadcasts(2, 100)).hasSize(1);
        assertThat(u.count().get()).isEqualTo(1);
        assertThat(q.numQueued()).isZero();
        assertThat(q.getBroadcasts(2, 100)).isEmpty();
    }

    @Test
    void pruneKeepsTheLeastSent() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 100, 4);
        for (int i = 0; i < 10; i++) {
            q.queueBroadcast(new Unique("m" + i));
        }
        q.getBroadcasts(2, 4 * 3); // sends three messages once
        q.prune(7);
        assertThat(q.numQueued()).isEqualTo(7);
        assertThat(strings(q.getBroadcasts(2, 1000))).hasSize(7);
    }

    @Test
    void resetFinishesEverything() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 3, 4);
        Unique a = new Unique("a");
        Named b = new Named("b", "b");
        q.queueBroadcast(a);
        q.queueBroadcast(b);
        q.reset();
        assertThat(q.numQueued()).isZero();
        assertThat(a.count().get()).isEqualTo(1);
        assertThat(b.count().get()).isEqualTo(1);
    }

    private record Plain(String key, byte[] message, AtomicInteger count) implements Broadcast {
        Plain(String key, String msg) {
            this(key, msg.getBytes(StandardCharsets.UTF_8), new AtomicInteger());
        }

        @Override
        public boolean invalidates(Broadcast other) {
            return other instanceof Plain p && p.key.equals(key);
        }

        @Override
        public void finished() {
            count.incrementAndGet();
        }
    }

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void selectionOrderIsTierThenLengthThenNewest() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4); // limit 16
        q.queueBroadcast(new Unique("t2-long-" + repeat('x', 10)), 2);
        q.queueBroadcast(new Unique("t0-old"), 0);
        q.queueBroadcast(new Unique("t0-new"), 0);
        q.queueBroadcast(new Unique("t0-longest"), 0);
        q.queueBroadcast(new Unique("t1-a"), 1);
        q.queueBroadcast(new Unique("t1-bb"), 1);
        // Room for everything: tier 0 by length then newest, then tier 1, then tier 2.
        assertThat(strings(q.getBroadcasts(0, 10_000))).containsExactly(
                "t0-longest", "t0-new", "t0-old", "t1-bb", "t1-a", "t2-long-" + repeat('x', 10));
        // Each went up one tier together: the same order again.
        assertThat(strings(q.getBroadcasts(0, 10_000))).containsExactly(
                "t0-longest", "t0-new", "t0-old", "t1-bb", "t1-a", "t2-long-" + repeat('x', 10));
    }

    @Test
    void aMessageTooLargeForTheSpaceLeftIsSkippedForSmallerOnesAndLaterTiers() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4);
        q.queueBroadcast(new Unique(repeat('a', 50)), 0);
        q.queueBroadcast(new Unique(repeat('b', 30)), 0);
        q.queueBroadcast(new Unique(repeat('c', 8)), 3);
        q.queueBroadcast(new Unique(repeat('d', 40)), 5);
        // 45 bytes, overhead 2: the 30 (32), then nothing of tier 0 fits in 13; the 8 of tier 3 (10)
        // does; 3 bytes left are not enough for anything.
        assertThat(strings(q.getBroadcasts(2, 45))).containsExactly(repeat('b', 30), repeat('c', 8));
        assertThat(strings(q.getBroadcasts(2, 1))).isEmpty();
        assertThat(q.numQueued()).isEqualTo(4);
    }

    @Test
    void namedReplacementStillWorksAfterTheMessageWasSent() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4);
        Named first = new Named("node-a", "alive-1");
        q.queueBroadcast(first);
        assertThat(strings(q.getBroadcasts(0, 100))).containsExactly("alive-1"); // now in tier 1
        Named second = new Named("node-a", "suspect-1");
        q.queueBroadcast(second);
        assertThat(first.count().get()).isEqualTo(1);
        assertThat(q.numQueued()).isEqualTo(1);
        assertThat(strings(q.getBroadcasts(0, 100))).containsExactly("suspect-1");
        // Sent to the limit: gone, and its name free again.
        for (int i = 1; i < 16; i++) {
            q.getBroadcasts(0, 100);
        }
        assertThat(second.count().get()).isEqualTo(1);
        assertThat(q.numQueued()).isZero();
        Named third = new Named("node-a", "alive-2");
        q.queueBroadcast(third);
        assertThat(q.numQueued()).isEqualTo(1);
        assertThat(second.count().get()).isEqualTo(1); // not finished twice
    }

    @Test
    void plainBroadcastsInvalidateOnlyPlainOnes() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4);
        Plain a1 = new Plain("a", "a-1");
        Plain b1 = new Plain("b", "b-1");
        Named named = new Named("a", "named-a");
        Unique unique = new Unique("unique");
        q.queueBroadcast(a1);
        q.queueBroadcast(b1);
        q.queueBroadcast(named);
        q.queueBroadcast(unique);
        q.queueBroadcast(new Plain("a", "a-2"));
        assertThat(a1.count().get()).isEqualTo(1);
        assertThat(b1.count().get()).isZero();
        assertThat(named.count().get()).isZero();
        assertThat(unique.count().get()).isZero();
        assertThat(strings(q.getBroadcasts(0, 1000))).containsExactlyInAnyOrder("a-2", "b-1", "named-a", "unique");
    }

    @Test
    void theQueueIsBoundedDroppingTheMostSentFirstAndCountingIt() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4, 3);
        Unique sent = new Unique("sent-twice");
        q.queueBroadcast(sent, 2);
        Unique old = new Unique("old");
        q.queueBroadcast(old);
        q.queueBroadcast(new Unique("mid"));
        q.queueBroadcast(new Unique("new"));
        assertThat(q.numQueued()).isEqualTo(3);
        assertThat(q.dropped()).isEqualTo(1);
        assertThat(sent.count().get()).isEqualTo(1);
        q.queueBroadcast(new Unique("newer"));
        assertThat(q.dropped()).isEqualTo(2);
        assertThat(old.count().get()).isEqualTo(1); // same tier and length: the oldest goes
        assertThat(strings(q.getBroadcasts(0, 1000))).containsExactly("newer", "new", "mid");
        // A named replacement does not grow the queue, so it drops nothing.
        TransmitLimitedQueue named = new TransmitLimitedQueue(() -> 1000, 4, 1);
        named.queueBroadcast(new Named("n", "one"));
        named.queueBroadcast(new Named("n", "two"));
        assertThat(named.dropped()).isZero();
        assertThat(named.numQueued()).isEqualTo(1);
    }

    @Test
    void pruneCountsAndFinishesWhatItRemoves() {
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4);
        List<Named> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Named n = new Named("n" + i, "msg" + i);
            all.add(n);
            q.queueBroadcast(n, i % 3);
        }
        q.prune(4);
        assertThat(q.numQueued()).isEqualTo(4);
        assertThat(q.pruned()).isEqualTo(6);
        assertThat(all.stream().filter(n -> n.count().get() == 1)).hasSize(6);
        // The survivors are the four least sent (tier 0: n0 n3 n6 n9), and their names still map.
        assertThat(strings(q.getBroadcasts(0, 1000))).containsExactly("msg9", "msg6", "msg3", "msg0");
        q.queueBroadcast(new Named("n0", "replaced"));
        assertThat(all.get(0).count().get()).isEqualTo(1);
        assertThat(q.numQueued()).isEqualTo(4);
        q.prune(0);
        assertThat(q.numQueued()).isZero();
    }

    @Test
    void messagesAtOrAboveALoweredRetransmitLimitAreFinishedWithoutBeingSentAgain() {
        AtomicInteger nodes = new AtomicInteger(1000); // limit 4 × 4 = 16
        TransmitLimitedQueue q = new TransmitLimitedQueue(nodes::get, 4);
        Unique fresh = new Unique("fresh");
        Unique sentOften = new Unique("sent-often");
        Named sentOftenNamed = new Named("n", "named-often");
        q.queueBroadcast(fresh);
        q.queueBroadcast(sentOften, 6);
        q.queueBroadcast(sentOftenNamed, 9);
        nodes.set(5); // the cluster shrank: limit 4 × 1 = 4
        assertThat(strings(q.getBroadcasts(0, 1000))).containsExactly("fresh");
        assertThat(sentOften.count().get()).isEqualTo(1);
        assertThat(sentOftenNamed.count().get()).isEqualTo(1);
        assertThat(fresh.count().get()).isZero();
        assertThat(q.numQueued()).isEqualTo(1);
        q.queueBroadcast(new Named("n", "named-again")); // the name was released
        assertThat(q.numQueued()).isEqualTo(2);
    }

    @Test
    void takingAPacketFromALargeQueueTouchesFewItems() {
        int n = 100_000;
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 1000, 4, 2 * n);
        // Tier 0 holds only messages too large for the packet; the ones that fit are in tiers 1 and 7,
        // behind all of them: a walk in order would pass every item.
        byte[] big = new byte[2000];
        for (int i = 0; i < n; i++) {
            q.queueBroadcast(new Named("big" + i, big, new AtomicInteger()), 0);
        }
        byte[][] mid = new byte[50][];
        byte[][] small = new byte[7][];
        for (int i = 0; i < mid.length; i++) {
            mid[i] = new byte[100 + i];
        }
        for (int i = 0; i < small.length; i++) {
            small[i] = new byte[20 + i];
        }
        for (int i = 0; i < n / 2; i++) {
            q.queueBroadcast(new Named("mid" + i, mid[i % mid.length], new AtomicInteger()), 1);
        }
        for (int i = 0; i < n / 2; i++) {
            q.queueBroadcast(new Unique(small[i % small.length], new AtomicInteger()), 7);
        }
        long before = q.comparisons();
        List<byte[]> packet = q.getBroadcasts(3, 1400);
        long used = q.comparisons() - before;
        // Nine of the longest of tier 1 (149 + 3 bytes each), then the longest of tier 7 that fits in
        // the 29 bytes left (26 + 3).
        assertThat(packet).hasSize(10);
        assertThat(packet.subList(0, 9)).allSatisfy(m -> assertThat(m).hasSize(149));
        assertThat(packet.get(9)).hasSize(26);
        System.out.println("comparisons for one packet from " + q.numQueued() + " items: " + used);
        int lookups = packet.size() * 3 + 8; // per message: ceiling, remove, reinsert; plus tier jumps
        int log2 = 32 - Integer.numberOfLeadingZeros(q.numQueued());
        assertThat(used).isLessThan((long) lookups * 2 * log2);
        assertThat(used).isLessThan(2_000); // against 200,000 items
        assertThat(q.numQueued()).isEqualTo(2 * n);
    }

    @Test
    void sameSelectionsAsAPlainWalkOverRandomOperations() {
        java.util.Random random = new java.util.Random(42);
        TransmitLimitedQueue q = new TransmitLimitedQueue(() -> 50, 3); // limit 6
        List<ReferenceItem> model = new ArrayList<>();
        long[] ids = {0};
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                String name = random.nextBoolean() ? "n" + random.nextInt(40) : null;
                String msg = repeat((char) ('a' + random.nextInt(26)), 1 + random.nextInt(60));
                int transmits = random.nextInt(3);
                if (name == null) {
                    q.queueBroadcast(new Unique(msg), transmits);
                } else {
                    q.queueBroadcast(new Named(name, msg), transmits);
                    model.removeIf(r -> name.equals(r.name));
                }
                model.add(new ReferenceItem(transmits, msg, ++ids[0], name));
            } else if (op < 9) {
                int overhead = random.nextInt(4);
                int limit = random.nextInt(200);
                assertThat(strings(q.getBroadcasts(overhead, limit)))
                        .as("step %d", step).isEqualTo(ReferenceItem.take(model, overhead, limit, 6));
            } else {
                int keep = random.nextInt(30);
                q.prune(keep);
                model.sort(ReferenceItem.ORDER);
                while (model.size() > keep) {
                    model.remove(model.size() - 1);
                }
            }
            assertThat(q.numQueued()).isEqualTo(model.size());
            if (model.isEmpty()) {
                ids[0] = 0; // the queue restarts its ids when empty
            }
        }
    }

    /** A straightforward model of the queue: sort, walk the tiers in order. */
    private static final class ReferenceItem {
        static final java.util.Comparator<ReferenceItem> ORDER = java.util.Comparator
                .<ReferenceItem>comparingInt(r -> r.transmits)
                .thenComparing(java.util.Comparator.<ReferenceItem>comparingInt(r -> r.msg.length()).reversed())
                .thenComparing(java.util.Comparator.<ReferenceItem>comparingLong(r -> r.id).reversed());
        int transmits;
        final String msg;
        final long id;
        final String name;

        ReferenceItem(int transmits, String msg, long id, String name) {
            this.transmits = transmits;
            this.msg = msg;
            this.id = id;
            this.name = name;
        }

        static List<String> take(List<ReferenceItem> model, int overhead, int limit, int transmitLimit) {
            model.sort(ORDER);
            List<String> out = new ArrayList<>();
            List<ReferenceItem> taken = new ArrayList<>();
            int used = 0;
            for (int tier = 0; tier <= transmitLimit; tier++) {
                for (ReferenceItem r : model) {
                    if (r.transmits == tier && !taken.contains(r) && overhead + r.msg.length() <= limit - used) {
                        taken.add(r);
                        out.add(r.msg);
                        used += overhead + r.msg.length();
                    }
                }
            }
            for (ReferenceItem r : taken) {
                r.transmits++;
                if (r.transmits >= transmitLimit) {
                    model.remove(r);
                }
            }
            return out;
        }
    }
}
