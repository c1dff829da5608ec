package serf.memberlist;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;

/**
 * A network of transports that needs no thread, on a {@link ManualScheduler}: a packet is a task
 * that hands it to the receiver after the network's latency; a stream's server side (the remote
 * node's stream handler) runs inline, on the client's thread, when the client first reads its
 * reply (or closes without reading: a one-way user message). Links can be cut in both directions.
 * For tests; the simulator has its own.
 */
final class TaskNetwork {
    private final ManualScheduler scheduler;
    private final Duration latency;
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    private long packetsDelivered;
    private long packetsLost;

    TaskNetwork(ManualScheduler scheduler, Duration latency) {
        this.scheduler = scheduler;
        this.latency = latency;
    }

    /** A transport at 10.0.0.{@code host}:7946. */
    Transport transport(int host) {
        InetSocketAddress addr;
        try {
            addr = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) host}), 7946);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        Endpoint e = new Endpoint(addr);
        endpoints.put(addr, e);
        return e;
    }

    /** Cuts (or mends) the link between two hosts, both ways: packets are lost, dials refused. */
    void cut(int a, int b, boolean isCut) {
        String key = Math.min(a, b) + "-" + Math.max(a, b);
        if (isCut) {
            cut.add(key);
        } else {
            cut.remove(key);
        }
    }

    long packetsDelivered() {
        return packetsDelivered;
    }

    long packetsLost() {
        return packetsLost;
    }

    private boolean linked(InetSocketAddress a, InetSocketAddress b) {
        int x = a.getAddress().getAddress()[3] & 0xff;
        int y = b.getAddress().getAddress()[3] & 0xff;
        return !cut.contains(Math.min(x, y) + "-" + Math.max(x, y));
    }

    private final class Endpoint implements Transport {
        private final InetSocketAddress addr;
        private PacketHandler packets;
        private StreamHandler streams;
        private boolean closed;

        Endpoint(InetSocketAddress addr) {
            this.addr = addr;
        }

        @Override
        public void start(PacketHandler packets, StreamHandler streams) {
            this.packets = packets;
            this.streams = streams;
        }

        @Override
        public InetSocketAddress advertiseAddress() {
            return addr;
        }

        @Override
        public void sendPacket(byte[] payload, InetSocketAddress to) {
            Endpoint target = endpoints.get(to);
            if (closed || target == null || !linked(addr, to)) {
                packetsLost++;
                return;
            }
            byte[] copy = payload.clone();
            scheduler.schedule(latency, () -> {
                if (target.closed || target.packets == null) {
                    packetsLost++;
                    return;
                }
                packetsDelivered++;
                target.packets.onPacket(copy, addr, scheduler.clock().nanoTime());
            });
        }

        @Override
        public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
            Endpoint target = endpoints.get(to);
            if (closed || target == null || target.closed || target.streams == null || !linked(addr, to)) {
                throw new ConnectException("connection refused: " + to);
            }
            return new InlineStream(addr, target);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The client's end; the server's runs inline the first time the client needs its answer. */
    private static final class InlineStream implements StreamConnection {
        private final InetSocketAddress from;
        private final Endpoint server;
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        private InputStream replyIn;
        private boolean closed;

        InlineStream(InetSocketAddress from, Endpoint server) {
            this.from = from;
            this.server = server;
        }

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    return served().read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return served().read(b, off, len);
                }
            };
        }

        @Override
        public OutputStream output() {
            return request;
        }

        private InputStream served() throws IOException {
            if (replyIn == null) {
                if (closed) {
                    throw new IOException("stream closed");
                }
                serve();
                replyIn = new ByteArrayInputStream(reply.toByteArray());
            }
            return replyIn;
        }

        private void serve() {
            if (server.closed) {
                return; // the reader sees end of stream
            }
            InputStream requestIn = new ByteArrayInputStream(request.toByteArray());
            server.streams.onStream(new StreamConnection() {
                @Override
                public InputStream input() {
                    return requestIn;
                }

                @Override
                public OutputStream output() {
                    return reply;
                }

                @Override
                public InetSocketAddress remoteAddress() {
                    return from;
                }

                @Override
                public void setDeadline(long deadlineNanos) {
                }

                @Override
                public void close() {
                }
            });
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return server.addr;
        }

        @Override
        public void setDeadline(long deadlineNanos) {
        }

        @Override
        public void close() {
            if (!closed && replyIn == null && request.size() > 0) {
                serve(); // a one-way message: the server reads it to the end
            }
            closed = true;
        }
    }
}
