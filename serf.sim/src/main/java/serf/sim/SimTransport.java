package serf.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;

/** A node's {@link Transport} on the simulated network: packets become events, streams run inline. */
final class SimTransport implements Transport {
    private final SimNode node;
    private final SimNetwork network;
    private PacketHandler packets;
    private StreamHandler streams;
    private boolean closed;

    SimTransport(SimNode node, SimNetwork network) {
        this.node = node;
        this.network = network;
    }

    @Override
    public void start(PacketHandler packets, StreamHandler streams) {
        this.packets = packets;
        this.streams = streams;
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return node.address();
    }

    @Override
    public void sendPacket(byte[] payload, InetSocketAddress to) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        network.send(node, to, payload.clone());
    }

    @Override
    public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        return network.dial(node, to);
    }

    /** True while packets and streams reach this node's handlers. */
    boolean listening() {
        return !closed && packets != null && !node.crashed();
    }

    void deliver(byte[] payload, InetSocketAddress from, long now) {
        if (listening()) {
            packets.onPacket(payload, from, now);
        }
    }

    void serve(StreamConnection serverSide) {
        if (listening()) {
            streams.onStream(serverSide);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
