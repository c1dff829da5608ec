package serf.sim;

import java.net.InetSocketAddress;
import serf.api.Serf;
import serf.memberlist.Memberlist;

/** One simulated node: its address, transport, scheduler and the Serf or Memberlist running on them. */
final class SimNode {
    private final String name;
    private final int index;
    private final InetSocketAddress address;
    SimTransport transport;
    SimScheduler scheduler;
    Serf serf;
    Memberlist memberlist;
    /** Partition group: nodes reach each other only within one group (0 = everyone, when healed). */
    int group;
    private boolean crashed;

    SimNode(String name, int index, InetSocketAddress address) {
        this.name = name;
        this.index = index;
        this.address = address;
    }

    String name() {
        return name;
    }

    int index() {
        return index;
    }

    InetSocketAddress address() {
        return address;
    }

    boolean crashed() {
        return crashed;
    }

    void crash() {
        crashed = true;
    }
}
