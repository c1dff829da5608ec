package serf.memberlist.transport;

/**
 * Counters of one {@link NetTransport} since it was opened.
 *
 * @param packetsReceived  datagrams handed to the packet handler
 * @param bytesReceived    their total size
 * @param packetsDropped   datagrams not handed over: empty ones, and those that arrived before
 *                         {@code start} or after {@code close}
 * @param packetsSent      datagrams sent
 * @param bytesSent        their total size
 * @param streamsAccepted  inbound connections handed to the stream handler
 * @param streamsRefused   inbound connections closed at once (too many in flight, or not started)
 * @param streamsDialed    outbound connections established
 * @param streamsInFlight  inbound connections being served right now
 * @param handlerFailures  exceptions thrown by the handlers (logged and otherwise ignored)
 */
public record NetTransportStats(
        long packetsReceived,
        long bytesReceived,
        long packetsDropped,
        long packetsSent,
        long bytesSent,
        long streamsAccepted,
        long streamsRefused,
        long streamsDialed,
        int streamsInFlight,
        long handlerFailures) {
}
