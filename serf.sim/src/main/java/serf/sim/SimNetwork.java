package serf.sim;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import serf.memberlist.transport.StreamConnection;

/**
 * The simulated network: who is at which address, what each link does to a packet (a default
 * {@link LinkProfile}, overridden per direction), partitions, and the trace of it all. Its fate
 * decisions draw from one seeded random source, in the order packets are sent, so they repeat.
 */
final class SimNetwork {
    private final EventLoop loop;
    private final RandomGenerator random;
    private final Trace trace;
    private final Map<InetSocketAddress, SimNode> byAddress = new HashMap<>();
    private final Map<Long, LinkProfile> overrides = new HashMap<>();
    private LinkProfile defaultLink;
    private final NetworkStats stats = new NetworkStats();

    SimNetwork(EventLoop loop, RandomGenerator random, Trace trace, LinkProfile defaultLink) {
        this.loop = loop;
        this.random = random;
        this.trace = trace;
        this.defaultLink = defaultLink;
    }

    void add(SimNode node) {
        byAddress.put(node.address(), node);
    }

    void defaultLink(LinkProfile p) {
        defaultLink = p;
    }

    void link(SimNode from, SimNode to, LinkProfile p) {
        overrides.put(key(from, to), p);
    }

    void clearLinks() {
        overrides.clear();
    }

    private static long key(SimNode from, SimNode to) {
        return ((long) from.index() << 32) | (to.index() & 0xffffffffL);
    }

    private LinkProfile linkFor(SimNode from, SimNode to) {
        LinkProfile p = overrides.get(key(from, to));
        return p != null ? p : defaultLink;
    }

    private boolean cutOff(SimNode from, SimNode to) {
        return to == null || to.crashed() || from.group != to.group || linkFor(from, to).isCut();
    }

    void send(SimNode from, InetSocketAddress toAddr, byte[] payload) {
        SimNode to = byAddress.get(toAddr);
        stats.packetsSent++;
        long now = loop.now();
        if (cutOff(from, to)) {
            stats.packetsCut++;
            trace.record(Trace.Kind.CUT, now, from, to, payload.length);
            return;
        }
        long delay = linkFor(from, to).draw(random);
        if (delay < 0) {
            stats.packetsLost++;
            trace.record(Trace.Kind.LOST, now, from, to, payload.length);
            return;
        }
        trace.record(Trace.Kind.SENT, now, from, to, payload.length);
        InetSocketAddress fromAddr = from.address();
        loop.at(now + delay, to, () -> {
            // A partition made while the packet was in flight does not stop it: it was on the wire.
            stats.packetsDelivered++;
            trace.record(Trace.Kind.DELIVERED, loop.now(), from, to, payload.length);
            to.transport.deliver(payload, fromAddr, loop.now());
        });
    }

    StreamConnection dial(SimNode from, InetSocketAddress toAddr) throws IOException {
        SimNode to = byAddress.get(toAddr);
        long now = loop.now();
        if (cutOff(from, to) || !to.transport.listening()) {
            stats.streamsRefused++;
            trace.record(Trace.Kind.STREAM_REFUSED, now, from, to, 0);
            throw new ConnectException("simulated: " + toAddr + " unreachable from " + from.name());
        }
        stats.streams++;
        trace.record(Trace.Kind.STREAM, now, from, to, 0);
        return new InlineStream(from, to).clientSide();
    }

    NetworkStats stats() {
        return stats;
    }
}
