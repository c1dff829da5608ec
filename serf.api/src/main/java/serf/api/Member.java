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

    Member withStatus(MemberStatus s) {
        return new Member(name, addr, port, tags, s, protocolMin, protocolMax, protocolCur, delegateMin, delegateMax, delegateCur);
    }
}
