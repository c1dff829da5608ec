package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIndexTest {

    private static NodeRecord record(String name) {
        return new NodeRecord(name, InetAddress.getLoopbackAddress(), 7946, null, NodeState.ALIVE, 0);
    }

    @Test
    void getPutRemoveAndReplace() {
        NodeIndex index = new NodeIndex();
        NodeRecord a = record("a");
        assertThat(index.put(a)).isNull();
        assertThat(index.get("a")).isSameAs(a);
        assertThat(index.get("b")).isNull();
        NodeRecord a2 = record("a");
        assertThat(index.put(a2)).isSameAs(a);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.remove("a")).isSameAs(a2);
        assertThat(index.remove("a")).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void agreesWithAHashMapOverRandomOperations() {
        Random random = new Random(7);
        NodeIndex index = new NodeIndex();
        Map<String, NodeRecord> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct names and bursts of removals, so that runs collide, wrap and shrink.
            String name = "node-" + random.nextInt(step % 20_000 < 10_000 ? 3_000 : 300);
            int op = random.nextInt(3);
            if (op == 0 || (step % 20_000) >= 10_000 && op == 1) {
                assertThat(index.remove(name)).as("remove %s at %d", name, step).isSameAs(model.remove(name));
            } else if (op == 1) {
                NodeRecord r = record(name);
                assertThat(index.put(r)).isSameAs(model.put(name, r));
            } else {
                assertThat(index.get(name)).isSameAs(model.get(name));
            }
            assertThat(index.size()).isEqualTo(model.size());
        }
        for (Map.Entry<String, NodeRecord> e : model.entrySet()) {
            assertThat(index.get(e.getKey())).isSameAs(e.getValue());
        }
        index.clear();
        assertThat(index.get("node-1")).isNull();
    }
}
