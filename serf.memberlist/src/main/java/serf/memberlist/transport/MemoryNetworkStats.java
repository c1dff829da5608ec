package serf.memberlist.transport;

/**
 * Counters of one {@link MemoryNetwork} since it was created.
 *
 * @param packetsSent        packets handed to {@code sendPacket} by any of its transports
 * @param packetsDelivered   packets handed to a packet handler
 * @param droppedLost        packets dropped by the configured loss probability
 * @param droppedUnreachable packets to an unknown, closed or down node, from a down node, or across a
 *                           partition (also those cut off while delayed in flight)
 * @param droppedOverflow    packets dropped because a queue was full (a node's inbox, or the delay queue)
 * @param droppedOther       empty packets, and packets that reached a node not yet started
 * @param packetsInFlight    packets waiting out their delay right now
 * @param streamsOpened      stream dials that connected
 * @param streamsRefused     stream dials that failed, and accepted streams closed at once for being over the
 *                           limit of streams in flight
 * @param transports         transports currently registered
 */
public record MemoryNetworkStats(
        long packetsSent,
        long packetsDelivered,
        long droppedLost,
        long droppedUnreachable,
        long droppedOverflow,
        long droppedOther,
        int packetsInFlight,
        long streamsOpened,
        long streamsRefused,
        int transports) {

    /** {@return all packets dropped, for whatever reason} */
    public long packetsDropped() {
        return droppedLost + droppedUnreachable + droppedOverflow + droppedOther;
    }
}
