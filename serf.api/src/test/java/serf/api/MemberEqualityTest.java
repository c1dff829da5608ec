package serf.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Member's written-out equals and hashCode mean what a record's do: every component, and only those. */
class MemberEqualityTest {
    private static final InetAddress ADDR = InetAddress.getLoopbackAddress();

    private static Member member() {
        return new Member("node", ADDR, 7946, Map.of("role", "web"), MemberStatus.ALIVE, 2, 5, 4, 2, 5, 4);
    }

    @Test
    void equalComponentsMakeEqualMembersWithEqualHashes() {
        Member a = member();
        Member b = new Member("node", ADDR, 7946, new java.util.HashMap<>(Map.of("role", "web")), MemberStatus.ALIVE,
                2, 5, 4, 2, 5, 4);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(null).isNotEqualTo("node");
        Member noName = new Member(null, null, 0, Map.of(), null, 0, 0, 0, 0, 0, 0);
        assertThat(noName).isEqualTo(new Member(null, null, 0, Map.of(), null, 0, 0, 0, 0, 0, 0));
        assertThat(noName.hashCode()).isEqualTo(new Member(null, null, 0, Map.of(), null, 0, 0, 0, 0, 0, 0).hashCode());
    }

    @Test
    void everyComponentTakesPart() throws Exception {
        Member a = member();
        InetAddress other = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        java.util.List<UnaryOperator<Member>> changes = java.util.List.of(
                m -> new Member("other", m.addr(), m.port(), m.tags(), m.status(), 2, 5, 4, 2, 5, 4),
                m -> new Member(m.name(), other, m.port(), m.tags(), m.status(), 2, 5, 4, 2, 5, 4),
                m -> new Member(m.name(), m.addr(), 7947, m.tags(), m.status(), 2, 5, 4, 2, 5, 4),
                m -> new Member(m.name(), m.addr(), m.port(), Map.of(), m.status(), 2, 5, 4, 2, 5, 4),
                m -> m.withStatus(MemberStatus.FAILED),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 1, 5, 4, 2, 5, 4),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 2, 4, 4, 2, 5, 4),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 2, 5, 3, 2, 5, 4),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 2, 5, 4, 1, 5, 4),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 2, 5, 4, 2, 4, 4),
                m -> new Member(m.name(), m.addr(), m.port(), m.tags(), m.status(), 2, 5, 4, 2, 5, 3));
        for (UnaryOperator<Member> change : changes) {
            Member b = change.apply(a);
            assertThat(b).isNotEqualTo(a);
            assertThat(a).isNotEqualTo(b);
            assertThat(b.hashCode()).isNotEqualTo(a.hashCode());
        }
    }
}
