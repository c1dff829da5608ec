package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BroadcastTreeTest {
    private static final Comparator<QueuedBroadcast> ORDER = Comparator.<QueuedBroadcast>comparingInt(q -> q.transmits)
            .thenComparing(Comparator.<QueuedBroadcast>comparingInt(q -> q.length).reversed())
            .thenComparing(Comparator.<QueuedBroadcast>comparingLong(q -> q.id).reversed());

    private record Msg(byte[] message) implements UniqueBroadcast {
        @Override
        public boolean invalidates(Broadcast other) {
            return false;
        }

        @Override
        public void finished() {
        }
    }

    private static QueuedBroadcast item(int transmits, int length, long id) {
        return new QueuedBroadcast(transmits, id, new Msg(new byte[length]), null);
    }

    @Test
    void agreesWithATreeSetOverRandomOperations() {
        Random random = new Random(3);
        BroadcastTree tree = new BroadcastTree();
        TreeSet<QueuedBroadcast> model = new TreeSet<>(ORDER);
        List<QueuedBroadcast> present = new ArrayList<>();
        long id = 0;
        for (int step = 0; step < 100_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 || present.isEmpty()) {
                QueuedBroadcast x = item(random.nextInt(8), random.nextInt(40), ++id);
                tree.add(x);
                model.add(x);
                present.add(x);
            } else if (op < 6) {
                QueuedBroadcast x = present.remove(random.nextInt(present.size()));
                tree.remove(x);
                model.remove(x);
                // Re-keyed while out, as the queue does, and sometimes put back.
                if (random.nextBoolean()) {
                    x.transmits++;
                    tree.add(x);
                    model.add(x);
                    present.add(x);
                }
            } else if (op < 9) {
                int t = random.nextInt(9);
                int len = random.nextInt(45);
                QueuedBroadcast probe = item(t, len, Long.MAX_VALUE);
                assertThat(tree.ceiling(t, len, Long.MAX_VALUE)).isSameAs(model.ceiling(probe));
            } else {
                assertThat(tree.first()).isSameAs(model.isEmpty() ? null : model.first());
                assertThat(tree.last()).isSameAs(model.isEmpty() ? null : model.last());
            }
            assertThat(tree.size()).isEqualTo(model.size());
        }
        assertThat(tree.toList()).containsExactlyElementsOf(model);
        tree.clear();
        assertThat(tree.isEmpty()).isTrue();
        assertThat(tree.first()).isNull();
    }

    @Test
    void depthStaysLogarithmicForSequentialIds() {
        BroadcastTree tree = new BroadcastTree();
        int n = 1 << 16;
        for (int i = 1; i <= n; i++) {
            tree.add(item(0, 100, i)); // same tier and length: ordered by id alone, inserted in order
        }
        long before = tree.comparisons();
        tree.ceiling(0, 100, n / 2);
        long walk = tree.comparisons() - before;
        assertThat(walk).isLessThan(4 * 16); // a balanced tree: ~16 levels
    }
}
