package serf.memberlist.transport;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * A cut in a {@link MemoryNetwork}: no packet or new stream passes between a node of one side and a
 * node of the other, in either direction, until the partition is healed. Nodes on the same side (and
 * nodes on neither) still reach each other.
 */
public record Partition(Set<InetSocketAddress> sideA, Set<InetSocketAddress> sideB) {

    public Partition {
        sideA = Set.copyOf(sideA);
        sideB = Set.copyOf(sideB);
    }

    /** Whether this partition separates {@code from} and {@code to}. */
    public boolean separates(InetSocketAddress from, InetSocketAddress to) {
        return (sideA.contains(from) && sideB.contains(to)) || (sideB.contains(from) && sideA.contains(to));
    }
}
