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
}
