package serf.memberlist;

import java.time.Duration;

/** Adds a payload to acks of direct pings and learns round-trip times (Serf: Vivaldi coordinates). */
public interface PingDelegate {
    /**
     * Payload for the ack of a direct UDP ping; null for none.
     *
     * @return the payload; null or empty for none
     */
    byte[] ackPayload();

    /**
     * A probe of {@code other} completed with a direct ack after {@code rtt}, carrying {@code payload}.
     *
     * @param other the node that answered
     * @param rtt the round-trip time of the ping
     * @param payload the payload of its ack
     */
    void notifyPingComplete(Node other, Duration rtt, byte[] payload);
}
