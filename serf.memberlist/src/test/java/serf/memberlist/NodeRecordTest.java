package serf.memberlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class NodeRecordTest {

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void recordsOfTheSameMemberShareNameAddressAndMetadata() throws Exception {
        // As two nodes of one process decode them from their own messages.
        NodeRecord a = new NodeRecord(new String("node-7"), ip(7), 7946, new byte[] {1, 2, 3}, NodeState.ALIVE, 0);
        NodeRecord b = new NodeRecord(new String("node-7"), ip(7), 7946, new byte[] {1, 2, 3}, NodeState.ALIVE, 0);
        assertThat(b.name).isSameAs(a.name);
        assertThat(b.addr).isSameAs(a.addr);
        assertThat(b.meta).isSameAs(a.meta);
        NodeRecord c = new NodeRecord("node-8", ip(8), 7946, null, NodeState.ALIVE, 0);
        assertThat(c.meta).isEmpty();
        assertThat(c.meta).isSameAs(new NodeRecord("node-9", ip(9), 7946, new byte[0], NodeState.ALIVE, 0).meta);
    }

    @Test
    void updateSharesTooAndKeepsWhatDidNotChange() throws Exception {
        NodeRecord a = new NodeRecord("node-1", ip(1), 1, new byte[] {9}, NodeState.ALIVE, 0);
        NodeRecord b = new NodeRecord("node-2", ip(2), 2, new byte[] {8}, NodeState.ALIVE, 0);
        byte[] before = b.meta;
        b.update(ip(2), 3, new byte[] {8});
        assertThat(b.meta).isSameAs(before);
        assertThat(b.port).isEqualTo(3);
        b.update(ip(1), 1, new byte[] {9});
        assertThat(b.addr).isSameAs(a.addr);
        assertThat(b.meta).isSameAs(a.meta);
    }

    @Test
    void addressesThatHoldAHostNameAreNotShared() throws Exception {
        InetAddress named = InetAddress.getByAddress("somehost", new byte[] {10, 0, 0, 77});
        NodeRecord a = new NodeRecord("node-77", named, 1, null, NodeState.ALIVE, 0);
        NodeRecord b = new NodeRecord("node-77", ip(77), 1, null, NodeState.ALIVE, 0);
        assertThat(a.addr).isSameAs(named);
        assertThat(b.addr).isNotSameAs(named).isEqualTo(named);
    }

    @Test
    void versionsAboveOneHundredTwentySevenSurviveTheBytes() {
        NodeRecord r = new NodeRecord("v", InetAddress.getLoopbackAddress(), 1, null, NodeState.ALIVE, 0);
        byte[] vsn = {1, (byte) 200, 5, 2, (byte) 255, 4};
        r.setVersions(vsn);
        assertThat(r.versions()).containsExactly(vsn);
        assertThat(r.pMax()).isEqualTo(200);
        Node n = r.snapshot();
        assertThat(n.pMin()).isEqualTo(1);
        assertThat(n.pMax()).isEqualTo(200);
        assertThat(n.dMax()).isEqualTo(255);
        assertThat(n.vsn()).containsExactly(vsn);
    }
}
