package serf.api;

import java.net.InetAddress;
import java.util.Map;

/**
 * An immutable view of one cluster member. {@code protocol*} are memberlist versions,
 * {@code delegate*} Serf protocol versions.
 */
public record Member(String name, InetAddress addr, int port, Map<String, String> tags, MemberStatus status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    public Member {
        tags = Map.copyOf(tags);
    }

    Member withStatus(MemberStatus s) {
        return new Member(name, addr, port, tags, s, protocolMin, protocolMax, protocolCur, delegateMin, delegateMax, delegateCur);
    }
}
