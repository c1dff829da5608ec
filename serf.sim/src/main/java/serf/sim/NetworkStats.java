package serf.sim;

/**
 * What the simulated network has carried so far. Counters only grow.
 */
public final class NetworkStats {
    long packetsSent;
    long packetsDelivered;
    long packetsLost;
    long packetsCut;
    long streams;
    long streamsRefused;

    NetworkStats() {
    }

    /**
     * Packets handed to the network, whatever became of them.
     *
     * @return the count so far
     */
    public long packetsSent() { return packetsSent; }
    /**
     * Packets that reached a node.
     *
     * @return the count so far
     */
    public long packetsDelivered() { return packetsDelivered; }
    /**
     * Packets dropped by a link's loss probability.
     *
     * @return the count so far
     */
    public long packetsLost() { return packetsLost; }
    /**
     * Packets that could not go: partition, cut link, crashed or unknown receiver.
     *
     * @return the count so far
     */
    public long packetsCut() { return packetsCut; }
    /**
     * Streams opened (each served at once).
     *
     * @return the count so far
     */
    public long streams() { return streams; }
    /**
     * Streams refused: partition, cut link, crashed or unknown receiver.
     *
     * @return the count so far
     */
    public long streamsRefused() { return streamsRefused; }

    @Override
    public String toString() {
        return "packets sent=" + packetsSent + " delivered=" + packetsDelivered + " lost=" + packetsLost
                + " cut=" + packetsCut + ", streams=" + streams + " refused=" + streamsRefused;
    }
}
