package serf.memberlist.transport;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * A cut in a {@link MemoryNetwork}: no packet or new stream passes between a node of one side and a
 * node of the other, in either direction, until the partition is healed. Nodes on the same side (and
 * nodes on neither) still reach each other.
 *
 * @param sideA the addresses on one side
 * @param sideB the addresses on the other side
 */
public record Partition(Set<InetSocketAddress> sideA, Set<InetSocketAddress> sideB) {

    /** Copies both sides. */
    public Partition {
        sideA = Set.copyOf(sideA);
        sideB = Set.copyOf(sideB);
    }

    /**
     * {@return whether this partition separates {@code from} and {@code to}}
     *
     * @param from the sending side
     * @param to the receiving side
     */
    public boolean separates(InetSocketAddress from, InetSocketAddress to) {
        return (sideA.contains(from) && sideB.contains(to)) || (sideB.contains(from) && sideA.contains(to));
    }
}
