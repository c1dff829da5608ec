package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The member tracker's table: lookups, growth, removal (with the index's gap closing) and shrinking. */
class MemberTableTest {

    private static Member member(String name, MemberStatus status) {
        return new Member(name, InetAddress.getLoopbackAddress(), 7946, Map.of(), status, 2, 5, 5, 2, 5, 5);
    }

    private static List<String> names(MemberTable t) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < t.size(); p++) {
            out.add(t.member(p).name());
        }
        return out;
    }

    @Test
    void membersAreFoundByNameWithTheirStatusLTime() {
        MemberTable t = new MemberTable();
        assertThat(t.find("a")).isEqualTo(-1);
        int a = t.add(member("a", MemberStatus.ALIVE), 7);
        int b = t.add(member("b", MemberStatus.LEAVING), 9);
        assertThat(t.find("a")).isEqualTo(a);
        assertThat(t.find("b")).isEqualTo(b);
        assertThat(t.get("b").status()).isEqualTo(MemberStatus.LEAVING);
        assertThat(t.statusLTime(a)).isEqualTo(7);
        t.setStatusLTime(a, 8);
        t.set(a, member("a", MemberStatus.FAILED));
        assertThat(t.get("a").status()).isEqualTo(MemberStatus.FAILED);
        assertThat(t.statusLTime(t.find("a"))).isEqualTo(8);
        assertThat(t.get("c")).isNull();
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void iterationIsInsertionOrderAndARemovalMovesTheLastIntoTheHole() {
        MemberTable t = new MemberTable();
        for (String n : List.of("a", "b", "c", "d")) {
            t.add(member(n, MemberStatus.ALIVE), n.charAt(0));
        }
        assertThat(names(t)).containsExactly("a", "b", "c", "d");
        t.remove(t.find("b"));
        assertThat(names(t)).containsExactly("a", "d", "c");
        assertThat(t.statusLTime(t.find("d"))).as("its LTime moved with it").isEqualTo('d');
        t.remove(t.find("c"));
        assertThat(names(t)).containsExactly("a", "d");
        assertThat(t.find("b")).isEqualTo(-1);
        assertThat(t.find("c")).isEqualTo(-1);
    }

    @Test
    void growsAndShrinksAndStaysConsistentWithAMapUnderRandomChurn() {
        MemberTable t = new MemberTable();
        Map<String, Long> model = new HashMap<>();
        Random random = new Random(11);
        for (int round = 0; round < 200_000; round++) {
            String name = "node-" + random.nextInt(5_000);
            int p = t.find(name);
            assertThat(p >= 0).isEqualTo(model.containsKey(name));
            if (p < 0) {
                long lTime = random.nextLong();
                t.add(member(name, MemberStatus.ALIVE), lTime);
                model.put(name, lTime);
            } else {
                assertThat(t.statusLTime(p)).isEqualTo(model.get(name));
                if (random.nextInt(3) == 0) {
                    t.remove(p);
                    model.remove(name);
                }
            }
        }
        assertThat(t.size()).isEqualTo(model.size());
        for (Map.Entry<String, Long> e : model.entrySet()) {
            assertThat(t.statusLTime(t.find(e.getKey()))).isEqualTo(e.getValue());
        }
        // Empty it: every entry is still found on the way down, and the arrays shrink back.
        int peakSlots = t.slotCount();
        for (String name : List.copyOf(model.keySet())) {
            int p = t.find(name);
            assertThat(p).isNotNegative();
            t.remove(p);
            assertThat(t.find(name)).isEqualTo(-1);
        }
        assertThat(t.size()).isZero();
        assertThat(t.slotCount()).isLessThan(peakSlots).isEqualTo(16);
        assertThat(t.capacity()).isEqualTo(8);
    }

    @Test
    void theIndexKeepsAtLeastOneEmptySlotInFourAndTheArraysGrowByHalf() {
        MemberTable t = new MemberTable();
        for (int i = 0; i < 10_000; i++) {
            t.add(member("node-" + i, MemberStatus.ALIVE), i);
            assertThat(4L * t.size()).isLessThanOrEqualTo(3L * t.slotCount());
            assertThat(t.capacity()).isLessThanOrEqualTo(Math.max(8, t.size() * 3 / 2 + 1));
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.statusLTime(t.find("node-" + i))).isEqualTo(i);
        }
    }
}
